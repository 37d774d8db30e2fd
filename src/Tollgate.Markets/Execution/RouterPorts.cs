using Tollgate.Markets.Instruments;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Execution;

/// <summary>The kill switch of the router's environment as the order path reads it: one volatile read, no I/O.</summary>
public interface IStopSignal
{
    bool IsEngaged { get; }
}

/// <summary>Seed 000 §5.3's pre-, in- and post-execution logs.</summary>
public enum ExecutionPhase : byte { Pre, In, Post }

/// <summary>
/// One execution log entry. <see cref="Key"/> names it deterministically (client order id, phase, the order's
/// event number when it was logged, step), so a step logged again — a redelivery, a repeated query, a restart —
/// finds its entry already written and the journal keeps the first.
/// </summary>
/// <param name="Number">The order's next event sequence number when the step was logged.</param>
/// <param name="Step">What happened: ROUTED, REFUSED, SUBMITTED, CHANNEL_KNOWN, CHANNEL_UNKNOWN, QUERIED, FILLED, ...</param>
/// <param name="Facts">The step's facts as text (reason codes, quantities, prices, the routing trail); never a secret.</param>
public sealed record ExecutionLog(ExecutionPhase Phase, string IntentId, string ClientOrderId, int Number, string Step, string ConfigRev, IReadOnlyDictionary<string, string> Facts)
{
    public string Key => $"order:{ClientOrderId}:{Phase.ToString().ToLowerInvariant()}:{Number}:{Step.ToLowerInvariant()}";
}

/// <summary>Where execution logs go: the audit ledger in the host.</summary>
public interface IExecutionJournal
{
    /// <exception cref="ExecutionJournalException">The log could not be written; the router sends nothing it could not log first.</exception>
    Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken);
}

public sealed class ExecutionJournalException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where every recorded change of an order is published: the order-results stream.</summary>
public interface IOrderResultSink
{
    Task PublishAsync(RouteResult result, CancellationToken cancellationToken);
}

/// <summary>The health the order path follows per instrument (seed 002 E): RED allows only reducing orders.</summary>
public interface IHealthView
{
    HealthLevel HealthOf(Instrument instrument);
}
