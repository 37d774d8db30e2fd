namespace Tollgate.Ledger.Bundles;

/// <summary>The ledger part of a manifest: which entries the bundle carries, and the tree size their proofs are for.</summary>
/// <param name="Indexes">Ascending, without repeats; the order of the lines of <c>ledger-entries.jsonl</c>.</param>
public sealed record BundleLedgerRef(IReadOnlyList<long> Indexes, long TreeSize);
