namespace Tollgate.Ledger.Bundles;

/// <summary>
/// Every role a bundle member may have. A role says what the bytes are for when an event is replayed;
/// the media type says how to read them. Names are written into signed manifests and never change.
/// </summary>
public static class BundleRoles
{
    public const string VersionMap = "version_map";
    public const string Config = "config";
    public const string Policy = "policy";
    public const string RulebookRef = "rulebook_ref";
    public const string MarketData = "market_data";
    public const string OrderIntents = "order_intents";
    public const string Orders = "orders";
    public const string Fills = "fills";
    public const string GateResults = "gate_results";
    public const string LedgerEntries = "ledger_entries";
    public const string LedgerProofs = "ledger_proofs";
    public const string Checkpoint = "checkpoint";
    public const string Other = "other";

    public static readonly IReadOnlyList<BundleRole> All =
    [
        new(VersionMap, "the Active Version Map in force at the event: which version of every component ran"),
        new(Config, "configuration in force at the event"),
        new(Policy, "risk and execution policy in force at the event"),
        new(RulebookRef, "the rulebook (or a reference to its exact version) the gates applied"),
        new(MarketData, "the market data the system saw, or references to it"),
        new(OrderIntents, "order intents the strategy produced"),
        new(Orders, "orders sent to the venue"),
        new(Fills, "fills and other execution reports received"),
        new(GateResults, "release-gate and pre-trade check results"),
        new(LedgerEntries, "ledger entries about the event, byte for byte as the ledger stores them (built from the ledger)"),
        new(LedgerProofs, "inclusion proofs of those entries in the ledger's tree (built from the ledger)"),
        new(Checkpoint, "the signed ledger checkpoint the proofs lead to (built from the ledger)"),
        new(Other, "anything else worth keeping with the event; never counts towards completeness"),
    ];

    /// <summary>
    /// What a replay needs (seed 000 §2 "Replayable": the data referenced plus the version map). A bundle
    /// without some of them can still be sealed, but says so in its manifest's <c>missing_roles</c>, in this order.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredForReplay =
        [VersionMap, Config, Policy, RulebookRef, MarketData, OrderIntents, Orders, Fills, GateResults, LedgerEntries];

    /// <summary>
    /// Roles only <see cref="BundleWriter"/> fills, from the ledger itself: a caller cannot supply them, so a
    /// manifest with ledger members always has the proofs and checkpoint that make them checkable.
    /// </summary>
    public static readonly IReadOnlyList<string> BuiltFromLedger = [LedgerEntries, LedgerProofs, Checkpoint];

    public static bool IsKnown(string name) => All.Any(role => role.Name == name);

    /// <summary>The required roles that <paramref name="present"/> lacks, in <see cref="RequiredForReplay"/> order.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> present)
    {
        var have = present.ToHashSet(StringComparer.Ordinal);
        return [.. RequiredForReplay.Where(role => !have.Contains(role))];
    }
}
