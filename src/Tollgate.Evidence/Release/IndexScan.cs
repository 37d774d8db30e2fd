namespace Tollgate.Evidence;

/// <summary>
/// An audit index read and checked line by line. <see cref="Entries"/> holds the lines that parsed
/// (whether or not their chain holds), with their 1-based line numbers.
/// </summary>
internal sealed record IndexScan(
    IReadOnlyList<(long Line, IndexEntry Entry)> Entries,
    IReadOnlyList<string> LineSha256,
    bool Sound)
{
    public long LineCount => LineSha256.Count;

    /// <summary>SHA-256 of the last complete line, or the genesis value for an empty index.</summary>
    public string HeadSha256 => LineSha256.Count == 0 ? Sha256Hex.Genesis : LineSha256[^1];
}
