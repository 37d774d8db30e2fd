namespace Tollgate.Ledger.Index;

/// <summary>What the lookup index holds of one entry: how to find it and what to check it against.</summary>
/// <param name="LeafHash">Lowercase hex of the entry's RFC 9162 leaf hash; lets a verifier name the exact entry that changed.</param>
/// <param name="Offset">Byte offset of the entry's line within its segment.</param>
public sealed record IndexedEntry(
    long Index, string Key, string Kind, string CorrelationId, DateTimeOffset Time, string LeafHash,
    long SegmentFirstIndex, long Offset, int Length);

/// <summary>
/// One stored index row as a verifier reads it back. Stores keep derived rows (by key, by correlation) besides
/// the entry rows; each is reported with the fields it carries, and the others null.
/// </summary>
/// <param name="Source">Which row this is, for the verifier's message (e.g. "key row 3f2a…").</param>
public sealed record IndexRecord(
    string Source, long Index, string? Key = null, string? Kind = null, string? CorrelationId = null, DateTimeOffset? Time = null,
    string? LeafHash = null, long? SegmentFirstIndex = null, long? Offset = null, int? Length = null)
{
    public static IndexRecord Of(IndexedEntry entry, string source) => new(
        source, entry.Index, entry.Key, entry.Kind, entry.CorrelationId, entry.Time, entry.LeafHash,
        entry.SegmentFirstIndex, entry.Offset, entry.Length);
}
