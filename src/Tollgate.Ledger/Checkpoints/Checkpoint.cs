using System.Globalization;
using System.Text;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Checkpoints;

/// <summary>
/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the body of a signed note naming the log, its size
/// and the RFC 6962 Merkle root at that size. Sign <see cref="ToNoteText"/> with a note signer to publish it.
/// </summary>
/// <remarks>Equality compares the root hash bytes and the extensions in order, not the references.</remarks>
/// <param name="Origin">The log's identity, e.g. "example.com/log42"; non-empty, one line.</param>
/// <param name="Size">The number of leaves.</param>
/// <param name="RootHash">The 32-byte Merkle tree root at <paramref name="Size"/>.</param>
/// <param name="Extensions">Optional extra lines, opaque and non-empty (the specification discourages them).</param>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash, IReadOnlyList<string> Extensions)
{
    /// <summary>The length of a root hash, a SHA-256 output.</summary>
    public const int RootHashLength = 32;

    /// <summary>"&lt;origin&gt;\n&lt;size decimal&gt;\n&lt;base64 32-byte root&gt;\n" and one line per extension.</summary>
    /// <exception cref="CheckpointFormatException">A field would not survive <see cref="ParseNoteText"/>.</exception>
    public string ToNoteText()
    {
        CheckLine(Origin, CheckpointReason.BadOrigin, "origin");
        if (Size < 0) throw new CheckpointFormatException(CheckpointReason.BadSize, "A checkpoint's size cannot be negative.");
        if (RootHash is not { Length: RootHashLength })
            throw new CheckpointFormatException(CheckpointReason.BadRootHash, $"A checkpoint's root hash must be {RootHashLength} bytes.");
        ArgumentNullException.ThrowIfNull(Extensions);

        var builder = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(RootHash)).Append('\n');
        foreach (var extension in Extensions)
        {
            CheckLine(extension, CheckpointReason.BadExtension, "extension line");
            builder.Append(extension).Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>Parses a checkpoint note text strictly; <see cref="ToNoteText"/> gives back exactly <paramref name="text"/>.</summary>
    /// <exception cref="CheckpointFormatException">
    /// <c>CHECKPOINT_MALFORMED</c>, <c>CHECKPOINT_MALFORMED_ORIGIN</c>, <c>CHECKPOINT_MALFORMED_SIZE</c>,
    /// <c>CHECKPOINT_MALFORMED_ROOT_HASH</c> or <c>CHECKPOINT_MALFORMED_EXTENSION</c>.
    /// </exception>
    public static Checkpoint ParseNoteText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[^1] != '\n')
            throw new CheckpointFormatException(CheckpointReason.Malformed, "A checkpoint text must end with a newline.");
        if (HasControlOtherThanNewline(text) || Utf16Text.IndexOfLoneSurrogate(text) >= 0)
            throw new CheckpointFormatException(CheckpointReason.Malformed, "A checkpoint text holds a control character other than newline, or a lone surrogate.");

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
            throw new CheckpointFormatException(CheckpointReason.Malformed, "A checkpoint text needs an origin, a size and a root hash line.");

        if (lines[0].Length == 0)
            throw new CheckpointFormatException(CheckpointReason.BadOrigin, "A checkpoint's origin cannot be empty.");
        var extensions = lines[3..];
        if (extensions.Any(line => line.Length == 0))
            throw new CheckpointFormatException(CheckpointReason.BadExtension, "A checkpoint's extension lines cannot be empty.");
        return new Checkpoint(lines[0], ParseSize(lines[1]), ParseRootHash(lines[2]), extensions);
    }

    /// <inheritdoc/>
    public bool Equals(Checkpoint? other)
        => other is not null && Origin == other.Origin && Size == other.Size
           && RootHash.AsSpan().SequenceEqual(other.RootHash) && Extensions.SequenceEqual(other.Extensions);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Origin);
        hash.Add(Size);
        hash.AddBytes(RootHash);
        foreach (var extension in Extensions) hash.Add(extension);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"Checkpoint {{ Origin = {Origin}, Size = {Size}, RootHash = {Convert.ToBase64String(RootHash)}, Extensions = {Extensions.Count} }}";

    private static long ParseSize(string line)
    {
        // Canonical decimal only, so that every size has one spelling: "0", or digits without a leading zero.
        var canonical = line.Length > 0 && !line.AsSpan().ContainsAnyExceptInRange('0', '9') && (line.Length == 1 || line[0] != '0');
        if (!canonical || !long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new CheckpointFormatException(CheckpointReason.BadSize, "A checkpoint's size must be a decimal without sign or leading zeros, at most 2^63-1.");
        return size;
    }

    private static byte[] ParseRootHash(string line)
    {
        if (!StrictBase64.TryDecode(line, out var hash) || hash.Length != RootHashLength)
            throw new CheckpointFormatException(CheckpointReason.BadRootHash, $"A checkpoint's root hash must be canonical standard base64 of {RootHashLength} bytes.");
        return hash;
    }

    private static bool HasControlOtherThanNewline(string text)
    {
        foreach (var c in text)
            if (c < ' ' && c != '\n') return true;
        return false;
    }

    private static void CheckLine(string? line, string reason, string what)
    {
        if (string.IsNullOrEmpty(line) || line.AsSpan().ContainsAnyInRange('\0', '\u001f') || Utf16Text.IndexOfLoneSurrogate(line) >= 0)
            throw new CheckpointFormatException(reason, $"A checkpoint's {what} must be one non-empty line without control characters or lone surrogates.");
    }
}
