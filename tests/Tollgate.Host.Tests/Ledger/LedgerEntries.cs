using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;

namespace Tollgate.Host.Tests.Ledger;

/// <summary>Valid entries for API and CLI tests, built through the production constructor.</summary>
internal static class LedgerEntries
{
    public static readonly DateTimeOffset Time = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    public static LedgerEntry Evidence(string key, string correlation = "release-42", bool passed = true) => LedgerEntry.Create(
        new LedgerEntryFields("evidence", key, Time, "tester", correlation, "Paper", []),
        new JsonObject { ["check"] = "dr.wal_recovery", ["passed"] = passed, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject { ["rto_seconds"] = "4.2" } });

    public static StringContent Body(LedgerEntry entry) => new(Encoding.UTF8.GetString(entry.Bytes), Encoding.UTF8, "application/json");

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
