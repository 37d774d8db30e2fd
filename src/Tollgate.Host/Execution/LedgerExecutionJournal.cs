using System.Text.Json.Nodes;
using Tollgate.Host.Hosting;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;
using Tollgate.Markets.Execution;

namespace Tollgate.Host.Execution;

/// <summary>
/// Seed 000 §5.3's pre-, in- and post-execution logs as <c>order_path</c> ledger entries, keyed by
/// <see cref="ExecutionLog.Key"/>. A key the ledger already holds means the step was logged before (a redelivery, a
/// repeated query, a restart): the first entry stands, and that is not an error.
/// </summary>
public sealed class LedgerExecutionJournal(LedgerHost ledger, string environment, string actor, TimeProvider time) : IExecutionJournal
{
    public async Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["phase"] = log.Phase.ToString().ToUpperInvariant(),
            ["intent_id"] = log.IntentId,
            ["client_order_id"] = log.ClientOrderId,
            ["step"] = log.Step,
            ["config_rev"] = log.ConfigRev,
            ["facts"] = new JsonObject([.. log.Facts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))]),
        };
        try
        {
            var entry = LedgerEntry.Create(new LedgerEntryFields(LedgerKinds.OrderPath.Name, log.Key, time.GetUtcNow(), actor, log.IntentId, environment, []), payload);
            await ledger.Require().AppendAsync(entry, cancellationToken);
        }
        catch (LedgerException e) when (e.Reason == LedgerReason.KeyConflict)
        {
        }
        catch (LedgerException e)
        {
            throw new ExecutionJournalException($"{e.Reason}: {e.Message}", e);
        }
    }
}
