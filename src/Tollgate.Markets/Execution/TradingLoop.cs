using Tollgate.Markets.Features;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Paper;
using Tollgate.Markets.Strategy;

namespace Tollgate.Markets.Execution;

/// <summary>Where the trading loop's intents go: the order-intents stream in the host, the router itself in a replay.</summary>
public interface IIntentSink
{
    Task SubmitAsync(OrderIntent intent, CancellationToken cancellationToken);
}

/// <summary>
/// What each feature event sets off on the order path, in this order: Paper's resting orders meet the new book (and
/// the router records what filled), the positions are marked (a stop-loss or take-profit asks for its close), and
/// the rule strategy decides (its decision record is logged before its intent is submitted). The same loop runs
/// in the host (intents go to the stream) and in <c>tollgate paper run</c> (intents go straight to the router).
/// Calls for one instrument must not overlap.
/// </summary>
public sealed class TradingLoop(OrderRouter router, IIntentSink intents, IExecutionJournal journal, PaperChannel? paper)
{
    private volatile RuleSelection? selection;

    /// <summary>The rules in force; null stops deciding (no active rules). Swapped whole, so one event is decided by one rule set.</summary>
    public RuleSelection? Selection
    {
        get => selection;
        set => selection = value;
    }

    /// <summary>One rule set for every decision (no canary).</summary>
    public RuleStrategy? Strategy
    {
        get => selection?.Stable;
        set => selection = value is null ? null : RuleSelection.StableOnly(value);
    }

    public long Decisions => Interlocked.Read(ref decisions);
    public long Closes => Interlocked.Read(ref closes);
    /// <summary>Decisions dropped because their record could not be logged.</summary>
    public long Unrecorded => Interlocked.Read(ref unrecorded);
    private long decisions, closes, unrecorded;

    public async Task OnFeaturesAsync(FeatureEvent features, CancellationToken cancellationToken)
    {
        if (paper is not null)
            foreach (var changed in paper.OnBook(features.Instrument))
                await router.ObserveAsync(changed, cancellationToken);

        var rules = selection?.For(features);
        var at = features.ExchangeTime ?? features.IngestTime;
        if (router.Positions.OnMark(features.Instrument, features.Mid, rules?.Rules.Rev ?? features.ConfigRev, at) is { } close)
        {
            Interlocked.Increment(ref closes);
            await intents.SubmitAsync(close, cancellationToken);
        }

        if (rules?.OnFeatures(features, router.Positions) is not { } decision) return;
        Interlocked.Increment(ref decisions);
        var intent = decision.Intent;
        try
        {
            await journal.RecordAsync(new ExecutionLog(ExecutionPhase.Pre, intent.IntentId, ClientOrderId.For(intent.IntentId), 0, "DECIDED", intent.ConfigRev,
                new Dictionary<string, string> { ["rule"] = decision.Record.RuleId, ["decision"] = decision.Record.ToJson() }), cancellationToken);
        }
        catch (ExecutionJournalException)
        {
            Interlocked.Increment(ref unrecorded);
            return; // a decision that cannot be recorded is not acted on
        }
        await intents.SubmitAsync(intent, cancellationToken);
    }
}
