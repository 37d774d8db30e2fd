namespace Tollgate.Ledger.Storage;

/// <summary>A segment: an append-only run of entries, one per line, named by the index of its first entry.</summary>
/// <param name="BlockCount">Appends so far; an Azure append blob takes at most 50,000 (then the writer rolls over).</param>
public sealed record SegmentInfo(long FirstIndex, long Length, int BlockCount);
