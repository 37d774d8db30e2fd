using System.Text;
using System.Text.Json;
using Tollgate.Governance.Storage;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Audit;

/// <summary>
/// The table row that projects a ledger entry (a stream record, a map registration, a gate evaluation): the entry's
/// canonical text and its ledger index, so a read needs no trip to the ledger.
/// </summary>
internal static class ProjectedEntry
{
    public static string Json(LedgerEntry entry, long index) => JsonSerializer.Serialize(new Row(Encoding.UTF8.GetString(entry.Bytes), index));

    public static (LedgerEntry Entry, long Index) Read(StoredRecord row)
    {
        var stored = JsonSerializer.Deserialize<Row>(row.Json) ?? throw new InvalidDataException($"Governance row {row.Partition}/{row.Row} is empty.");
        return (LedgerEntry.Parse(Encoding.UTF8.GetBytes(stored.Entry)), stored.Index);
    }

    /// <summary>An entry's payload, parsed once.</summary>
    public static JsonElement Payload(this LedgerEntry entry)
    {
        using var document = JsonDocument.Parse(entry.Bytes);
        return document.RootElement.GetProperty("payload").Clone();
    }

    private sealed record Row(string Entry, long Index);
}
