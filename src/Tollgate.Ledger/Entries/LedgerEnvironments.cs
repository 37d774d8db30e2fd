namespace Tollgate.Ledger.Entries;

/// <summary>The environments of seed 000 §3, as entries name them; null in an entry means "not environment-specific".</summary>
public static class LedgerEnvironments
{
    public static readonly IReadOnlyList<string> All = ["Research", "Backtest", "Simulation", "Paper", "Live"];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
