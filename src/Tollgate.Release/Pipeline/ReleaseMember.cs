namespace Tollgate.Release.Pipeline;

/// <summary>
/// One file to package: its name in the bundle and its content, as bytes or a stream read once when the package
/// is created. <see cref="ExpectedSha256"/>, when given, is the hash an earlier stage recorded for this content
/// (the Test stage's report SHA-256, say); the package refuses content that does not match it, so what is
/// packaged is exactly what was judged.
/// </summary>
public sealed class ReleaseMember
{
    private readonly ReadOnlyMemory<byte> bytes;
    private readonly Stream? stream;

    private ReleaseMember(string name, ReadOnlyMemory<byte> bytes, Stream? stream, string? expectedSha256)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        this.bytes = bytes;
        this.stream = stream;
        ExpectedSha256 = expectedSha256 is null ? null
            : IsSha256Hex(expectedSha256) ? expectedSha256.ToLowerInvariant()
            : throw new ArgumentException("an expected SHA-256 is 64 hex digits", nameof(expectedSha256));
    }

    /// <summary>The member's path in the bundle (rules: <see cref="ReleasePackage"/>).</summary>
    public string Name { get; }

    /// <summary>The lowercase hex SHA-256 the content must have, or null when no earlier stage recorded one.</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>A member whose content is in memory.</summary>
    public static ReleaseMember FromBytes(string name, ReadOnlyMemory<byte> content, string? expectedSha256 = null) =>
        new(name, content, null, expectedSha256);

    /// <summary>A member read from <paramref name="content"/> (to its end, not disposed) when the package is created.</summary>
    public static ReleaseMember FromStream(string name, Stream content, string? expectedSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new ReleaseMember(name, ReadOnlyMemory<byte>.Empty, content, expectedSha256);
    }

    /// <summary>The content, or null when the stream holds more than <paramref name="maxBytes"/>.</summary>
    internal byte[]? ReadContent(long maxBytes)
    {
        if (stream is null)
        {
            return bytes.Length <= maxBytes ? bytes.ToArray() : null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    internal static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);
}
