namespace Tollgate.Release.Metrics;

/// <summary>One metric of one cohort over one window: what a canary analysis asks a metric source for.</summary>
/// <param name="Metric">A canary metric name (<see cref="CanaryMetricNames"/>).</param>
/// <param name="Environment">Paper or Live.</param>
/// <param name="ConfigRev">The cohort: the config rev its decisions were made under.</param>
/// <param name="From">Window start, inclusive (UTC).</param>
/// <param name="To">Window end, exclusive (UTC).</param>
public sealed record MetricQuery(string Metric, string Environment, string ConfigRev, DateTimeOffset From, DateTimeOffset To);

/// <summary>The samples a source found for a query, and how it found them (recorded with the analysis, so it can be replayed).</summary>
/// <param name="Query">What was asked.</param>
/// <param name="Values">The samples, in time order; empty when there were none.</param>
/// <param name="Source">The source's name (e.g. <c>execution</c>, <c>prometheus</c>).</param>
/// <param name="Expression">What the source evaluated (a PromQL expression, or the in-process series name).</param>
public sealed record MetricSamples(MetricQuery Query, IReadOnlyList<double> Values, string Source, string Expression);

/// <summary>Where canary metrics come from: the execution plane's own observations, or a Prometheus HTTP API.</summary>
public interface ICanaryMetricSource
{
    /// <summary>The source's name, recorded with every sample set.</summary>
    string Name { get; }

    /// <summary>The samples of <paramref name="query"/>. Throws <see cref="MetricSourceException"/> when the source cannot answer: never an empty answer in its place.</summary>
    Task<MetricSamples> ReadAsync(MetricQuery query, CancellationToken cancellationToken);
}

/// <summary>A metric source could not answer; <see cref="Code"/> is a reason code (CAN-METRIC-*).</summary>
public sealed class MetricSourceException(string code, string message, Exception? inner = null) : Exception($"{code}: {message}", inner)
{
    public string Code { get; } = code;
}

/// <summary>The canary metrics the execution plane observes per config rev (seed 000 §9.1, seed 001 §5.2).</summary>
public static class CanaryMetricNames
{
    /// <summary>1 per intent routed and rejected, 0 per intent routed and accepted.</summary>
    public const string RejectRate = "reject_rate";
    /// <summary>1 per channel call whose outcome was unknown or that failed, 0 per call answered.</summary>
    public const string ErrorRate = "error_rate";
    /// <summary>Per fill: slippage against the mid at send, in basis points; positive is a cost.</summary>
    public const string SlippageBps = "slippage_bps";
    /// <summary>Per place call: send to answer, milliseconds.</summary>
    public const string ChannelLatencyMs = "channel_latency_ms";
    /// <summary>Per order that ended after being sent: executed over sent quantity.</summary>
    public const string FillRatio = "fill_ratio";
    /// <summary>Per closed position: realized PnL in the quote asset.</summary>
    public const string PnlPerTrade = "pnl_per_trade";

    public static readonly IReadOnlyList<string> All = [RejectRate, ErrorRate, SlippageBps, ChannelLatencyMs, FillRatio, PnlPerTrade];
}

/// <summary>Reason codes of metric sources.</summary>
public static class MetricSourceReasons
{
    /// <summary>The source did not answer (down, timeout, HTTP error).</summary>
    public const string Unavailable = "CAN-METRIC-UNAVAILABLE";
    /// <summary>The source answered something that is not a sample series (bad JSON, error status, wrong result type).</summary>
    public const string BadAnswer = "CAN-METRIC-BAD-ANSWER";
    /// <summary>The source has no expression for this metric.</summary>
    public const string Unknown = "CAN-METRIC-UNKNOWN";
}
