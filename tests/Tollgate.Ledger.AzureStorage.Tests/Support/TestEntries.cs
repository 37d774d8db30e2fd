using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>Evidence entries for the tests: keys, correlation ids and times that say which entry they are.</summary>
internal static class TestEntries
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static LedgerEntry Evidence(string key, string correlation = "corr-0", DateTimeOffset? time = null, string actor = "operator-7") =>
        LedgerEntry.Create(new LedgerEntryFields("evidence", key, time ?? T0, actor, correlation, null, []),
            new JsonObject { ["check"] = "x", ["passed"] = true, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject() });

    /// <summary>Entry <paramref name="i"/>: key prefix + i (6 digits), one of 7 correlation ids, T0 + i seconds.</summary>
    public static LedgerEntry Numbered(int i, string keyPrefix = "k-") => Evidence($"{keyPrefix}{i:D6}", Correlation(i), T0.AddSeconds(i));

    public static LedgerEntry[] Numbered(int from, int count, string keyPrefix = "k-") => [.. Enumerable.Range(from, count).Select(i => Numbered(i, keyPrefix))];

    public static string Correlation(int i) => $"corr-{i % 7}";

    /// <summary>Entries as one block of a segment: each line ends in "\n".</summary>
    public static byte[] Block(params LedgerEntry[] entries) => [.. entries.SelectMany(entry => entry.Bytes.Append((byte)'\n'))];
}
