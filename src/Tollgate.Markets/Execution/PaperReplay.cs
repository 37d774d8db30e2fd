using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Paper;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;
using Tollgate.Markets.Strategy;

namespace Tollgate.Markets.Execution;

/// <summary>How a paper replay trades.</summary>
public sealed record PaperReplayOptions(RiskLimits Risk, GlobalRiskLimits GlobalRisk, decimal StopLossFraction, decimal TakeProfitFraction, PaperSettings Paper)
{
    public static PaperReplayOptions Default { get; } = new(
        new RiskLimits(10m, 50_000m, 50m, 20, 20m, 1, 5m, TimeSpan.FromSeconds(1)), new GlobalRiskLimits(100, 100_000m), 0.02m, 0.04m, new PaperSettings());
}

/// <summary>What a paper replay did.</summary>
public sealed record PaperReplayReport(
    long Frames, long FeatureEvents, long Decisions, long Closes, IReadOnlyList<StoredOrder> Orders, IReadOnlyList<FillRecord> Fills,
    IReadOnlyList<PositionSnapshot> Positions, IReadOnlyList<CohortMetrics> Cohorts, ReconciliationReport Reconciliation,
    IReadOnlyDictionary<ExecutionPhase, int> Logs);

/// <summary>
/// A recorded market capture driven through the whole order path, in one process: each frame through the ingest
/// handler (the books and features), each feature event through the <see cref="TradingLoop"/> (the rule strategy,
/// position marks, Paper's resting orders), each intent through the <see cref="OrderRouter"/> (idempotency, kill
/// switch, risk) to the Paper channel, fills into positions, and at the end a reconciliation of the channel
/// against the records. Time is the capture's: the router's clock is each frame's receive time, so throttles,
/// duplicate windows and cooldowns see the market's pace however fast the replay runs, and two replays of one
/// capture give the same orders, fills and PnL.
/// </summary>
public sealed class PaperReplay(InstrumentTable universe, Func<IFrameDecoder> decoder, FeatureConfig features, RuleSet rules, PaperReplayOptions options)
{
    public const string Environment = "Paper";

    public async Task<PaperReplayReport> RunAsync(IEnumerable<CapturedFrame> frames, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var clock = new ReplayClock();
        var queue = new FeatureQueue();
        var handler = new MarketIngestHandler(universe, decoder, features, queue);
        var books = new IngestBookView(handler);
        var paper = new PaperChannel(books, options.Paper, clock);
        var store = new InMemoryExecutionStore();
        var journal = new CountingJournal();
        var metrics = new ExecutionMetrics(clock);
        var positions = PositionBook.Uniform(universe, options.StopLossFraction, options.TakeProfitFraction, options.Risk.Leverage);
        var router = new OrderRouter(universe, store, paper, new NeverStopped(), PreTradeRisk.Uniform(universe, options.Risk, options.GlobalRisk), books, books, positions,
            journal, new NoResults(), metrics, clock, new RouterOptions(Environment, TimeSpan.FromSeconds(2)));
        var sink = new RouterSink(router);
        var loop = new TradingLoop(router, sink, journal, paper) { Strategy = new RuleStrategy(rules) };

        long count = 0, featureEvents = 0;
        foreach (var (partition, frame) in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Now = frame.Header.ReceivedAt;
            handler.Handle(new IngestBatch(partition, [frame]));
            // Each frame's features are acted on before the next frame moves the book, as a live feed would be.
            foreach (var e in queue.Drain())
            {
                featureEvents++;
                await loop.OnFeaturesAsync(e, cancellationToken);
            }
            await sink.DrainAsync(cancellationToken);
            if (++count % 1000 == 0)
            {
                await router.CheckInFlightAsync(cancellationToken);
                progress?.Report(count);
            }
        }
        progress?.Report(count);
        var reconciliation = await new Reconciler(router, universe, clock, new ReconciliationOptions()).RunAsync($"paper-replay-{clock.Now:yyyyMMdd'T'HHmmss'Z'}", cancellationToken);
        var orders = new List<StoredOrder>();
        await foreach (var order in store.OrdersAsync(cancellationToken)) orders.Add(order);
        orders.Sort((a, b) => a.Order.RoutedAt != b.Order.RoutedAt ? a.Order.RoutedAt.CompareTo(b.Order.RoutedAt) : string.CompareOrdinal(a.Order.IntentId, b.Order.IntentId));
        var fills = store.AllFills.OrderBy(f => f.At).ThenBy(f => f.InstrumentKey, StringComparer.Ordinal).ThenBy(f => f.TradeId, StringComparer.Ordinal).ToList();
        return new PaperReplayReport(count, featureEvents, loop.Decisions, loop.Closes, orders, fills, positions.Snapshots(clock.Now), metrics.Snapshot(),
            reconciliation, journal.Counts);
    }

    /// <summary>The capture's time: what the router, risk and Paper read as now.</summary>
    private sealed class ReplayClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FeatureQueue : IFeatureSink
    {
        private readonly List<FeatureEvent> pending = [];
        public void OnFeatures(in FeatureEvent features) => pending.Add(features);

        public FeatureEvent[] Drain()
        {
            var drained = pending.ToArray();
            pending.Clear();
            return drained;
        }
    }

    /// <summary>Intents straight to the router, in the order they were decided.</summary>
    private sealed class RouterSink(OrderRouter router) : IIntentSink
    {
        private readonly Queue<OrderIntent> pending = new();

        public Task SubmitAsync(OrderIntent intent, CancellationToken cancellationToken)
        {
            pending.Enqueue(intent);
            return Task.CompletedTask;
        }

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            while (pending.TryDequeue(out var intent)) await router.RouteAsync(intent, cancellationToken);
        }
    }

    /// <summary>A replay has no kill switch to obey: it is not an environment's order path.</summary>
    private sealed class NeverStopped : IStopSignal
    {
        public bool IsEngaged => false;
    }

    private sealed class NoResults : IOrderResultSink
    {
        public Task PublishAsync(RouteResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The replay's pre/in/post logs are counted, not written: a replay is not an audited act.</summary>
    private sealed class CountingJournal : IExecutionJournal
    {
        private readonly Dictionary<ExecutionPhase, int> counts = new() { [ExecutionPhase.Pre] = 0, [ExecutionPhase.In] = 0, [ExecutionPhase.Post] = 0 };
        private readonly HashSet<string> keys = new(StringComparer.Ordinal);
        public IReadOnlyDictionary<ExecutionPhase, int> Counts => counts;

        public Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken)
        {
            if (keys.Add(log.Key)) counts[log.Phase]++;
            return Task.CompletedTask;
        }
    }
}
