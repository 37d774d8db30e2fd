using System.Text;
using System.Text.Json;

namespace Tollgate.Evidence;

/// <summary>
/// One line of the audit index: a release's identity plus the chain fields.
/// <list type="bullet">
/// <item><c>seq</c>: the line's own 1-based number, so a moved or removed line names itself.</item>
/// <item><c>prev_sha256</c>: SHA-256 of the previous line's bytes (without its newline); 64 zeros on line 1.</item>
/// <item><c>entry_sha256</c>: SHA-256 of this line's canonical bytes without the <c>entry_sha256</c>
/// field, so an edit of any line, the last included, is caught on that line itself.</item>
/// </list>
/// Lines are compact canonical JSON with the fields in <see cref="FieldOrder"/>; a line that does not
/// re-serialise to its own bytes was edited.
/// </summary>
internal sealed record IndexEntry(
    long Seq,
    string PrevSha256,
    string Version,
    string BundleName,
    string BundleSha256,
    long BundleSizeBytes,
    long MemberCount,
    long MemberBytes,
    DateTimeOffset GeneratedAtUtc,
    string EntrySha256)
{
    internal static readonly string[] FieldOrder =
    [
        "seq", "prev_sha256", "version", "bundle_name", "bundle_sha256", "bundle_size_bytes",
        "member_count", "member_bytes", "generated_at_utc", "entry_sha256",
    ];

    public static IndexEntry For(ReleaseAuditSummary summary, long seq, string prevSha256)
    {
        var unsealed = new IndexEntry(seq, prevSha256, summary.Version, summary.BundleName, summary.BundleSha256,
            summary.BundleSizeBytes, summary.MemberCount, summary.MemberBytes, summary.GeneratedAtUtc, "");
        return unsealed with { EntrySha256 = unsealed.ComputeEntrySha256() };
    }

    /// <summary>The same release: everything but when it was summarised and where it sits in the chain.</summary>
    public bool SameReleaseAs(IndexEntry other) =>
        Version == other.Version && BundleName == other.BundleName && BundleSha256 == other.BundleSha256
        && BundleSizeBytes == other.BundleSizeBytes && MemberCount == other.MemberCount && MemberBytes == other.MemberBytes;

    public string ComputeEntrySha256() => Sha256Hex.Of(Serialize(withEntrySha: false));

    /// <summary>The line's bytes, without the newline.</summary>
    public byte[] ToLineBytes() => Serialize(withEntrySha: true);

    private byte[] Serialize(bool withEntrySha)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.Compact))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", Seq);
            writer.WriteString("prev_sha256", PrevSha256);
            writer.WriteString("version", Version);
            writer.WriteString("bundle_name", BundleName);
            writer.WriteString("bundle_sha256", BundleSha256);
            writer.WriteNumber("bundle_size_bytes", BundleSizeBytes);
            writer.WriteNumber("member_count", MemberCount);
            writer.WriteNumber("member_bytes", MemberBytes);
            writer.WriteString("generated_at_utc", UtcTimestamp.Format(GeneratedAtUtc));
            if (withEntrySha)
            {
                writer.WriteString("entry_sha256", EntrySha256);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads one line's text; null with the reason when it is not an index entry.</summary>
    public static IndexEntry? Parse(string line, out string error)
    {
        if (line.Length == 0)
        {
            error = "empty line";
            return null;
        }

        if (!CanonicalJson.TryReadObject(line, FieldOrder, out var fields, out error))
        {
            return null;
        }

        var ok = CanonicalJson.TryNonNegative(fields, "seq", out var seq)
            & CanonicalJson.TryString(fields, "prev_sha256", out var prev) & Sha256Hex.IsWellFormed(prev)
            & CanonicalJson.TryString(fields, "version", out var version) & ReleaseVersion.IsValid(version)
            & CanonicalJson.TryString(fields, "bundle_name", out var bundleName) & bundleName.Length > 0
            & CanonicalJson.TryString(fields, "bundle_sha256", out var sha) & Sha256Hex.IsWellFormed(sha)
            & CanonicalJson.TryNonNegative(fields, "bundle_size_bytes", out var size)
            & CanonicalJson.TryNonNegative(fields, "member_count", out var members)
            & CanonicalJson.TryNonNegative(fields, "member_bytes", out var memberBytes)
            & CanonicalJson.TryString(fields, "generated_at_utc", out var generatedText) & UtcTimestamp.TryParse(generatedText, out var generatedAt)
            & CanonicalJson.TryString(fields, "entry_sha256", out var entrySha) & Sha256Hex.IsWellFormed(entrySha);
        if (!ok)
        {
            error = "a field has the wrong type or an invalid value";
            return null;
        }

        error = "";
        return new IndexEntry(seq, prev, version, bundleName, sha, size, members, memberBytes, generatedAt, entrySha);
    }

    public override string ToString() => Encoding.UTF8.GetString(ToLineBytes());
}
