using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Tollgate.Markets.Execution;

/// <summary>One cohort's execution figures (seed 000 §9.1): what a canary analysis compares between config revs.</summary>
/// <param name="ChannelLatencyP95Ms">Of the channel's place calls (send → answer).</param>
/// <param name="RoutingLatencyP95Ms">Of whole routing steps (intent in → result recorded; seed 002: p95 ≤ 800 ms).</param>
/// <param name="SlippageBpsMean">Mean of the fills' slippage against the mid at send; positive is a cost.</param>
/// <param name="FillRatio">Executed quantity over sent quantity, of orders that ended.</param>
public sealed record CohortMetrics(
    string Environment, string ConfigRev, long Intents, long Submitted, long Rejected, long Canceled, long Filled, long Expired,
    long Fills, long IdempotencyHits, long UnknownOutcomes, long ReconciliationMismatches,
    double? ChannelLatencyP95Ms, double? RoutingLatencyP95Ms, decimal? SlippageBpsMean, decimal? FillRatio,
    IReadOnlyDictionary<string, long> RejectReasons)
{
    public double RejectRate => Intents == 0 ? 0 : (double)Rejected / Intents;
}

/// <summary>
/// Execution counters per environment and config rev, kept two ways: as OpenTelemetry instruments (meter
/// <see cref="MeterName"/>, exported at /api/metrics) and as in-process cohort figures the canary analysis and
/// <c>GET /api/execution</c> read. Latency percentiles come from the last <see cref="Window"/> samples per cohort.
/// Each event is also kept as a timestamped observation (<see cref="Observations"/>, metric names as the canary
/// analysis names them), so a watch window's samples can be compared rev against rev.
/// </summary>
public sealed class ExecutionMetrics(TimeProvider? time = null)
{
    public const string MeterName = "Tollgate.Execution";
    public const int Window = 4096;
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Orders = Meter.CreateCounter<long>("tollgate_execution_orders", description: "order events by status and reason");
    private static readonly Counter<long> IdempotencyHitCounter = Meter.CreateCounter<long>("tollgate_execution_idempotency_hits", description: "intents delivered again and answered from the record");
    private static readonly Counter<long> Mismatches = Meter.CreateCounter<long>("tollgate_execution_reconciliation_mismatches", description: "differences reconciliation found");
    private static readonly Histogram<double> ChannelLatency = Meter.CreateHistogram<double>("tollgate_execution_channel_latency", "ms", "place call, send to answer");
    private static readonly Histogram<double> RoutingLatency = Meter.CreateHistogram<double>("tollgate_execution_routing_latency", "ms", "intent in to result recorded");
    private static readonly Counter<long> Intents = Meter.CreateCounter<long>("tollgate_execution_intents", description: "intents routed");
    private static readonly Counter<long> ChannelCalls = Meter.CreateCounter<long>("tollgate_execution_channel_calls", description: "place calls by outcome: answered, or unknown (an error)");
    private static readonly Counter<double> Slippage = Meter.CreateCounter<double>("tollgate_execution_slippage_bps_total", description: "sum of the fills' slippage against the mid at send, basis points (positive is a cost)");
    private static readonly Counter<long> SlippageFills = Meter.CreateCounter<long>("tollgate_execution_slipped_fills", description: "fills with a slippage figure");
    private static readonly Counter<double> SentQuantity = Meter.CreateCounter<double>("tollgate_execution_sent_quantity", description: "quantity of orders that ended after being sent");
    private static readonly Counter<double> ExecutedQuantity = Meter.CreateCounter<double>("tollgate_execution_executed_quantity", description: "executed quantity of orders that ended after being sent");

    private readonly ConcurrentDictionary<(string, string), Cohort> cohorts = new();

    /// <summary>The per-event samples of each cohort, by canary metric name.</summary>
    public CohortObservations Observations { get; } = new(time ?? TimeProvider.System);

    public void Intent(string environment, string rev)
    {
        Interlocked.Increment(ref For(environment, rev).Intents);
        Intents.Add(1, Tag("environment", environment), Tag("config_rev", rev));
    }

    public void Status(string environment, string rev, string status, string? reason)
    {
        var cohort = For(environment, rev);
        switch (status)
        {
            case "SUBMITTED": Interlocked.Increment(ref cohort.Submitted); break;
            case "REJECTED":
                Interlocked.Increment(ref cohort.Rejected);
                cohort.RejectReasons.AddOrUpdate(reason ?? "?", 1, (_, n) => n + 1);
                Observations.Add(environment, rev, "reject_rate", 1);
                break;
            case "CANCELED": Interlocked.Increment(ref cohort.Canceled); Observations.Add(environment, rev, "reject_rate", 0); break;
            case "FILLED": Interlocked.Increment(ref cohort.Filled); Observations.Add(environment, rev, "reject_rate", 0); break;
            case "EXPIRED": Interlocked.Increment(ref cohort.Expired); Observations.Add(environment, rev, "reject_rate", 0); break;
        }
        Orders.Add(1, Tag("environment", environment), Tag("config_rev", rev), Tag("status", status), Tag("reason", reason ?? ""));
    }

    public void Fill(string environment, string rev, decimal? slippageBps)
    {
        var cohort = For(environment, rev);
        Interlocked.Increment(ref cohort.Fills);
        if (slippageBps is not { } s) return;
        lock (cohort) { cohort.SlippageSum += s; cohort.SlippageCount++; }
        Observations.Add(environment, rev, "slippage_bps", (double)s);
        Slippage.Add((double)s, Tag("environment", environment), Tag("config_rev", rev));
        SlippageFills.Add(1, Tag("environment", environment), Tag("config_rev", rev));
    }

    public void Ended(string environment, string rev, decimal sent, decimal executed)
    {
        var cohort = For(environment, rev);
        lock (cohort) { cohort.SentEnded += sent; cohort.ExecutedEnded += executed; }
        if (sent <= 0) return;
        Observations.Add(environment, rev, "fill_ratio", (double)(executed / sent));
        SentQuantity.Add((double)sent, Tag("environment", environment), Tag("config_rev", rev));
        ExecutedQuantity.Add((double)executed, Tag("environment", environment), Tag("config_rev", rev));
    }

    public void IdempotencyHit(string environment, string rev)
    {
        Interlocked.Increment(ref For(environment, rev).IdempotencyHits);
        IdempotencyHitCounter.Add(1, Tag("environment", environment), Tag("config_rev", rev));
    }

    public void UnknownOutcome(string environment, string rev) => Interlocked.Increment(ref For(environment, rev).Unknown);

    public void ReconciliationMismatch(string environment, string rev, long count)
    {
        if (count <= 0) return;
        Interlocked.Add(ref For(environment, rev).Mismatches, count);
        Mismatches.Add(count, Tag("environment", environment), Tag("config_rev", rev));
    }

    /// <param name="answered">False when the outcome is unknown (a timeout, a 5xx, a dropped connection): an error.</param>
    public void ChannelCall(string environment, string rev, TimeSpan elapsed, bool answered)
    {
        For(environment, rev).Channel.Add(elapsed.TotalMilliseconds);
        ChannelLatency.Record(elapsed.TotalMilliseconds, Tag("environment", environment), Tag("config_rev", rev));
        ChannelCalls.Add(1, Tag("environment", environment), Tag("config_rev", rev), Tag("outcome", answered ? "answered" : "unknown"));
        Observations.Add(environment, rev, "channel_latency_ms", elapsed.TotalMilliseconds);
        Observations.Add(environment, rev, "error_rate", answered ? 0 : 1);
    }

    /// <summary>A position of this cohort closed (wholly or partly) with this realized PnL, in the quote asset.</summary>
    public void Trade(string environment, string rev, decimal realizedPnl) => Observations.Add(environment, rev, "pnl_per_trade", (double)realizedPnl);

    public void Routed(string environment, string rev, TimeSpan elapsed)
    {
        For(environment, rev).Routing.Add(elapsed.TotalMilliseconds);
        RoutingLatency.Record(elapsed.TotalMilliseconds, Tag("environment", environment), Tag("config_rev", rev));
    }

    /// <summary>Every cohort seen, by environment then config rev.</summary>
    public IReadOnlyList<CohortMetrics> Snapshot() =>
        [.. cohorts.OrderBy(c => c.Key.Item1, StringComparer.Ordinal).ThenBy(c => c.Key.Item2, StringComparer.Ordinal).Select(c => c.Value.Read(c.Key.Item1, c.Key.Item2))];

    private Cohort For(string environment, string rev) => cohorts.GetOrAdd((environment, rev), _ => new Cohort());

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    private sealed class Cohort
    {
        public long Intents, Submitted, Rejected, Canceled, Filled, Expired, Fills, IdempotencyHits, Unknown, Mismatches;
        public decimal SlippageSum, SentEnded, ExecutedEnded;
        public long SlippageCount;
        public readonly ConcurrentDictionary<string, long> RejectReasons = new(StringComparer.Ordinal);
        public readonly SampleWindow Channel = new(Window), Routing = new(Window);

        public CohortMetrics Read(string environment, string rev)
        {
            lock (this)
                return new CohortMetrics(environment, rev, Intents, Submitted, Rejected, Canceled, Filled, Expired, Fills, IdempotencyHits, Unknown, Mismatches,
                    Channel.Percentile(0.95), Routing.Percentile(0.95), SlippageCount == 0 ? null : Math.Round(SlippageSum / SlippageCount, 4),
                    SentEnded == 0 ? null : Math.Round(ExecutedEnded / SentEnded, 6), RejectReasons.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
        }
    }

    /// <summary>The last N samples, for percentiles by sorting a copy (read rarely, written often).</summary>
    private sealed class SampleWindow(int size)
    {
        private readonly double[] samples = new double[size];
        private long count;

        public void Add(double value)
        {
            lock (samples) samples[count++ % samples.Length] = value;
        }

        public double? Percentile(double q)
        {
            double[] copy;
            lock (samples) copy = samples[..(int)Math.Min(count, samples.Length)];
            if (copy.Length == 0) return null;
            Array.Sort(copy);
            return copy[Math.Min(copy.Length - 1, (int)Math.Ceiling(q * copy.Length) - 1)];
        }
    }
}
