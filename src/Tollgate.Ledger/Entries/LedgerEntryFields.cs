namespace Tollgate.Ledger.Entries;

/// <summary>The envelope of an entry: everything but the payload.</summary>
/// <param name="Key">The idempotency key: a second append with this key returns the first one's index.</param>
/// <param name="Time">When the recorded thing happened, UTC, millisecond precision.</param>
/// <param name="Environment">One of <see cref="LedgerEnvironments.All"/>, or null for the control plane itself.</param>
/// <param name="Refs">Ids of what the entry refers to (other entries' keys, version maps, orders, bundles).</param>
public sealed record LedgerEntryFields(
    string Kind, string Key, DateTimeOffset Time, string Actor, string CorrelationId, string? Environment, IReadOnlyList<string> Refs);
