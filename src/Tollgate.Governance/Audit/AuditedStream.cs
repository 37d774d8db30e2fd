using System.Globalization;
using System.Text.Json;
using Tollgate.Governance.Storage;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Audit;

/// <summary>One record of an <see cref="AuditedStream"/>: its sequence number, its ledger entry and where that is.</summary>
public sealed record StreamRecord(long Sequence, LedgerEntry Entry, long LedgerIndex)
{
    public JsonElement Payload { get; } = Entry.Payload();
}

/// <summary>
/// An append-only sequence of governance records (the switches of one environment's version map, the steps of
/// one approval, the kill-switch changes of one environment) in which record <c>n</c> is the ledger entry with key
/// <c>&lt;stream&gt;:&lt;n&gt;</c> first and a table row second.
/// </summary>
/// <remarks>
/// The ledger is written first, so nothing takes effect that is not audited; and a ledger key holds one entry
/// only, so two writers racing for the same next number cannot both win: the loser gets a conflict and reads
/// again. The table row is a projection for fast reads: after a crash between the two writes, the next read
/// finds the entry in the ledger and writes the row.
/// </remarks>
public sealed class AuditedStream(GovernanceTable table, IAuditLog audit, string name)
{
    public string Name { get; } = name;

    public string KeyOf(long sequence) => $"{Name}:{sequence.ToString("D10", CultureInfo.InvariantCulture)}";

    /// <summary>The newest record, or null for an empty stream.</summary>
    public async Task<StreamRecord?> LatestAsync(CancellationToken cancellationToken) => (await ReadAsync(1, cancellationToken)).FirstOrDefault();

    /// <summary>The newest <paramref name="limit"/> records, newest first.</summary>
    public async Task<IReadOnlyList<StreamRecord>> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync(Name, "", limit, cancellationToken);
        var records = rows.Select(Parse).ToList();
        // Entries the ledger has and the table lacks (a writer stopped between the two): project them now.
        var missing = new List<StreamRecord>();
        for (var next = (records.FirstOrDefault()?.Sequence ?? 0) + 1; audit.Find(KeyOf(next)) is { } index; next++)
        {
            var record = new StreamRecord(next, await audit.ReadAsync(index, cancellationToken), index);
            await ProjectAsync(record, cancellationToken);
            missing.Insert(0, record);
        }
        return [.. missing.Concat(records).Take(limit)];
    }

    /// <summary>
    /// Appends the record after <paramref name="expected"/> (the sequence the caller's decision was based on), with
    /// the entry <paramref name="entryFor"/> builds for that sequence's key.
    /// </summary>
    /// <exception cref="StreamConflictException">Another record took that sequence first; nothing was written.</exception>
    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.AuditUnavailable"/>; nothing took effect.</exception>
    public async Task<StreamRecord> AppendAsync(long expected, Func<string, LedgerEntry> entryFor, CancellationToken cancellationToken)
    {
        var sequence = expected + 1;
        var entry = entryFor(KeyOf(sequence));
        if (entry.Key != KeyOf(sequence)) throw new ArgumentException($"The entry's key must be '{KeyOf(sequence)}'.", nameof(entryFor));
        AuditReceipt receipt;
        try
        {
            receipt = await audit.AppendAsync(entry, cancellationToken);
        }
        catch (LedgerException e) when (e.Reason == LedgerReason.KeyConflict)
        {
            // The winner's entry may still be committing; once it can be read, reading again shows it.
            await audit.FindSoonAsync(entry.Key, cancellationToken);
            throw new StreamConflictException(Name, sequence);
        }
        var record = new StreamRecord(sequence, entry, receipt.Index);
        await ProjectAsync(record, cancellationToken);
        return record;
    }

    private async Task ProjectAsync(StreamRecord record, CancellationToken cancellationToken)
    {
        // False: the row is there already, written by whoever projected this record first. Same entry, same row.
        await table.TryInsertAsync(Name, RecordKeys.NewestFirst(record.Sequence), ProjectedEntry.Json(record.Entry, record.LedgerIndex), cancellationToken);
    }

    private static StreamRecord Parse(StoredRecord row)
    {
        var (entry, index) = ProjectedEntry.Read(row);
        return new StreamRecord(RecordKeys.SequenceOf(row.Row), entry, index);
    }
}

/// <summary>Another writer appended the record this one meant to append.</summary>
public sealed class StreamConflictException(string stream, long sequence)
    : Exception($"Record {sequence} of {stream} was written by someone else first.")
{
    public string Stream { get; } = stream;
    public long Sequence { get; } = sequence;
}
