using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Evidence;
using Tollgate.Ledger;

namespace Tollgate.Cli.Evidence;

/// <summary>
/// One evidence command's run after its check: print the verdict, write it to the ledger, pick the exit code.
/// Exit 0 passed, 1 failed (either way recorded, or --no-ledger), 2 refused (bad arguments, or the ledger refused
/// the entry), 3 the host or its ledger could not be reached (the verdict is printed, but not recorded).
/// </summary>
internal sealed class EvidenceRun(CliContext context, TollgateApi api, EvidenceLedgerTarget target)
{
    // Failures that only mean an argument was bad: refused like any bad argument, never recorded as evidence.
    private static readonly string[] ArgumentCodes =
    [
        EvidenceReasonCodes.VersionInvalid, EvidenceReasonCodes.WalThresholdInvalid, EvidenceReasonCodes.RollbackThresholdInvalid,
    ];

    /// <summary>When the check ran: the entry's time (and a summary's generated_at_utc), UTC, whole milliseconds.</summary>
    public DateTimeOffset Time { get; } = Truncate(DateTimeOffset.UtcNow);

    /// <summary>Refuses (exit 2, nothing recorded) a result that failed because an argument was bad.</summary>
    public static void RefuseBadArguments(EvidenceResult result)
    {
        if (!result.ReasonCodes.Any(code => ArgumentCodes.Contains(code, StringComparer.Ordinal))) return;
        throw new RequestRefusedException(ApiCommand.InvalidArguments, $"{result.Summary}. Nothing was recorded.");
    }

    /// <summary>The PASS/FAIL line with the check and its reason codes, then what each code means and every fact.</summary>
    public void Print(EvidenceResult result)
    {
        var output = context.Out;
        if (result.Passed)
        {
            output.WriteLine($"PASS {result.Check}: {result.Summary}");
        }
        else
        {
            output.WriteLine($"FAIL {result.Check}: {string.Join(", ", result.ReasonCodes)}");
            foreach (var code in result.ReasonCodes)
                output.WriteLine($"  {code}: {EvidenceReasonCodes.Describe(code) ?? "(no description)"}");
            output.WriteLine($"  details: {result.Summary}");
        }
        if (result.Facts.Count == 0)
        {
            output.WriteLine("  facts: none");
            return;
        }
        output.WriteLine("  facts:");
        var width = result.Facts.Keys.Max(key => key.Length);
        foreach (var (key, value) in result.Facts.OrderBy(fact => fact.Key, StringComparer.Ordinal))
            output.WriteLine($"    {key.PadRight(width)}  {value}");
    }

    /// <summary>
    /// Writes <paramref name="result"/> to the ledger (unless --no-ledger) and returns the exit code: the check's
    /// (0 or 1) once it is recorded, else 2 or 3 with the reason on stderr.
    /// </summary>
    public async Task<int> RecordAsync(EvidenceResult result, CancellationToken cancellationToken)
    {
        var verdict = result.Passed ? ExitCodes.Success : ExitCodes.NotVerified;
        if (target.NoLedger)
        {
            context.Out.WriteLine("not recorded: --no-ledger given; nothing was written to the audit ledger.");
            return verdict;
        }

        var entry = EvidenceEntry.Create(result, target, Time);
        try
        {
            var answer = await api.AppendLedgerEntryAsync(entry, cancellationToken);
            if (answer.Receipt is { } receipt)
            {
                context.Out.WriteLine(receipt.Existing
                    ? $"already recorded: ledger index {receipt.Index} (tree size {receipt.TreeSize}); nothing new was written"
                    : $"recorded: ledger index {receipt.Index} (tree size {receipt.TreeSize})");
            }
            else
            {
                var holder = answer.KeyHolder!;
                if (!EvidenceEntry.SameResult(entry, holder.Entry))
                {
                    context.Error.WriteLine($"error {LedgerReason.KeyConflict}: ledger entry {holder.Index} holds key {entry.Key} with a different payload; nothing was recorded.");
                    return ExitCodes.Refused;
                }
                // The first recording stands, with its own time, actor, correlation and environment: say which they are.
                context.Out.WriteLine($"already recorded: ledger index {holder.Index} (the same result, recorded at {Member(holder.Entry, "time")} by {Member(holder.Entry, "actor")}, "
                    + $"correlation {Member(holder.Entry, "correlation_id")}, environment {Member(holder.Entry, "environment")}); nothing new was written");
            }
            context.Out.WriteLine($"  key {entry.Key}");
            return verdict;
        }
        catch (RequestRefusedException refused)
        {
            context.Error.WriteLine($"error {refused.Reason}: {refused.Message}");
            context.Error.WriteLine("not recorded: the result above was NOT written to the audit ledger.");
            return refused.Reason is LedgerReason.Unavailable or LedgerReason.Closed ? ExitCodes.Unreachable : ExitCodes.Refused;
        }
        catch (HostUnreachableException unreachable)
        {
            context.Error.WriteLine($"error: {unreachable.Message}. Is the host running? Set --endpoint or {CliContext.EndpointVariable}.");
            context.Error.WriteLine("not recorded: the result above was NOT written to the audit ledger; run the command again once the host answers.");
            return ExitCodes.Unreachable;
        }
    }

    private static string Member(JsonElement entry, string name) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString()!, JsonValueKind.Null => "none", _ => "?" }
            : "?";

    private static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
