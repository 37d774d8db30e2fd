namespace Tollgate.Ledger.Bundles;

/// <summary>What to seal: the event, who asks, the members, and which ledger entries to include with proofs.</summary>
/// <param name="EventRef">The event the bundle replays: an id like a ledger key (1-256 printable ASCII, no spaces).</param>
/// <param name="Environment">One of <see cref="Entries.LedgerEnvironments.All"/>, or null.</param>
/// <param name="CreatedAt">Recorded at millisecond precision, UTC.</param>
/// <param name="LedgerIndexes">Ledger entries to include (any order, no repeats); empty for none.</param>
public sealed record BundleRequest(
    string EventRef, string? Environment, string CreatedBy, DateTimeOffset CreatedAt,
    IReadOnlyList<BundleMemberInput> Members, IReadOnlyList<long> LedgerIndexes);
