using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Rollouts;
using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Orders;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Signing;
using Tollgate.Host.Hosting;
using Tollgate.Host.Markets;
using Tollgate.Host.Settings;
using Tollgate.Host.Standalone;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;
using Tollgate.Markets.AzureStorage;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Paper;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;
using Tollgate.Markets.Strategy;

namespace Tollgate.Host.Execution;

/// <summary>Where the order path is.</summary>
public enum ExecutionState { Off, Starting, Reconciling, Routing, Failed }

/// <summary>
/// The order path of the standalone host, for one environment (Paper or Live). On start, in this order: the books'
/// instruments from the market plane, the positions from their last snapshots, the orders a previous run left open,
/// a reconciliation against the channel (a failure engages the kill switch), and only then routing: the durable
/// <c>order-intents</c> stream is recovered and the <c>order-router</c> function may take batches. From then on
/// every feature event runs the <see cref="TradingLoop"/>, the in-flight check runs twice a second, and the rules
/// follow the environment's Active Version Map.
/// </summary>
public sealed class ExecutionPlane(
    HostSettings settings, MarketPlane market, StreamHub hub, GovernanceHost governance, LedgerHost ledger, KillSwitchPropagation killSwitch,
    ExecutionMetrics metrics, ISecretStore secrets, SecretRedactor redactor, OrderPathRegistry gateView, Tollgate.Durable.Worker.DurableWorkerOptions workerOptions,
    TimeProvider time, ILoggerFactory loggers)
    : BackgroundService, IIntentSink, IOrderResultSink
{
    public const string IntentsStream = "order-intents";
    public const string ResultsStream = "order-results";
    private static readonly Principal Reconciliation = new("tollgate:reconciliation", "Tollgate reconciliation", new HashSet<Role> { Role.Pipeline }, false);

    private readonly ILogger logger = loggers.CreateLogger<ExecutionPlane>();
    private readonly TaskCompletionSource<OrderRouter> routing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<FeatureEvent> features = Channel.CreateBounded<FeatureEvent>(new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim reconciling = new(1, 1);
    private TradingLoop? loop;
    private Reconciler? reconciler;
    private long reconciliations;
    private (string StableMap, string? CanaryMap, long Epoch, int Weight) rulesState;
    private readonly SemaphoreSlim loadingRules = new(1, 1);
    private readonly Channel<bool> rulesChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, RuleStrategy> strategies = new(StringComparer.Ordinal);
    private readonly string hostId = workerOptions.HostId;

    public ExecutionSettings Settings => settings.Execution;
    public ExecutionState State { get; private set; } = settings.Execution.Enabled && settings.Markets.Enabled ? ExecutionState.Starting : ExecutionState.Off;
    public string? Failure { get; private set; }
    public OrderRouter? Router => routing.Task.IsCompletedSuccessfully ? routing.Task.Result : null;
    public InstrumentTable? Universe { get; private set; }
    public IExecutionStore? Store { get; private set; }
    public ExecutionMetrics Metrics => metrics;
    public ReconciliationReport? LastReconciliation { get; private set; }
    public string? RulesRev => loop?.Selection?.Stable.Rules.Rev;
    /// <summary>The canary's rules rev while this host serves a canary (or has one staged).</summary>
    public string? CanaryRulesRev => loop?.Selection?.Canary?.Rules.Rev;
    /// <summary>The traffic-split record this host decides by (0: none).</summary>
    public long SplitEpoch => loop?.Selection?.Epoch ?? 0;
    /// <summary>Why no rules are in force, when none are.</summary>
    public string? RulesProblem { get; private set; }
    public TradingLoop? Loop => loop;
    public string Environment => settings.Execution.Environment?.ToString() ?? "";

    /// <summary>The router once startup reconciliation is done; routing waits for it.</summary>
    public Task<OrderRouter> RoutingAsync(CancellationToken cancellationToken) => routing.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (State == ExecutionState.Off) return;
        try
        {
            await OpenAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            routing.TrySetCanceled(stoppingToken);
            return;
        }
        catch (Exception e)
        {
            State = ExecutionState.Failed;
            Failure = e.Message;
            logger.LogError(e, "Order path not started: {Reason}", e.Message);
            routing.TrySetException(e);
            return;
        }
        var router = routing.Task.Result;
        await Task.WhenAll(FeedAsync(stoppingToken), InFlightAsync(router, stoppingToken), FollowRulesAsync(stoppingToken));
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var environment = settings.Execution.Environment!.Value;
        var handler = await WaitForMarketAsync(cancellationToken);
        Universe = handler.Instruments;
        var store = Store = settings.Storage.IsInMemory
            ? new InMemoryExecutionStore()
            : await TableExecutionStore.CreateAsync(new TableServiceClient(settings.Storage.ConnectionString), settings.TaskHub, cancellationToken);
        var books = new IngestBookView(handler);
        var paper = environment == DeploymentEnvironment.Paper ? new PaperChannel(books, new PaperSettings(), time) : null;
        if (paper is not null)
        {
            // The Paper venue lives in this process: it comes back from what the store recorded, so reconciliation compares like with like.
            var restored = await paper.RestoreAsync(store, Universe, cancellationToken);
            logger.LogInformation("Paper channel restored: {Orders} order(s), {Resting} resting, {Fills} fill(s)", restored.Orders, restored.Resting, restored.Fills);
            foreach (var note in restored.Notes) logger.LogWarning("Paper restore: {Note}", note);
        }
        IOrderChannel channel = paper is not null ? paper : Binance(handler.Instruments);
        var positions = PositionBook.Uniform(Universe, settings.Execution.StopLossFraction, settings.Execution.TakeProfitFraction, settings.Execution.Risk.Leverage);
        var journal = new LedgerExecutionJournal(ledger, environment.ToString(), "tollgate:order-router", time);
        var router = new OrderRouter(Universe, store, channel, new BoardStop(governance, environment), PreTradeRisk.Uniform(Universe, settings.Execution.Risk, settings.Execution.GlobalRisk),
            books, books, positions, journal, this, metrics, time, new RouterOptions(environment.ToString(), settings.Execution.InFlightAfter));
        var resumed = await router.ResumeAsync(cancellationToken);
        var settled = await router.SettleSubmittedAsync(5, TimeSpan.FromMilliseconds(200), cancellationToken);
        if (settled > 0) logger.LogInformation("Order path: {Count} order(s) the previous run left SUBMITTED settled by query", settled);

        State = ExecutionState.Reconciling;
        reconciler = new Reconciler(router, Universe, time, new ReconciliationOptions(settings.Execution.MinAgreement));
        var report = await ReconcileWithAsync(router, "startup", cancellationToken);
        logger.LogInformation("Order path ({Environment}, {Channel}): {Resumed} open order(s) resumed, startup reconciliation {Result} (orders {Orders}, fills {Fills})",
            environment, channel.Name, resumed, report.Result, report.OrdersAgreement, report.FillsAgreement);

        loop = new TradingLoop(router, this, journal, paper);
        await LoadRulesAsync(cancellationToken);
        var recovered = await hub.MakeDurableAsync(IntentsStream, settings.Storage.IsInMemory ? new MemoryStreamLog() : await TableStreamLog.CreateAsync(
            new TableServiceClient(settings.Storage.ConnectionString), settings.TaskHub, cancellationToken), cancellationToken);
        if (recovered > 0) logger.LogInformation("Order path: {Count} intent(s) recovered from the order-intents stream", recovered);
        market.AddFeatureSink(new FeatureQueue(features.Writer));
        State = ExecutionState.Routing;
        routing.TrySetResult(router);
        gateView.Register(this);
    }

    /// <summary>Live: Tollgate's Binance client, signed with the API key and secret from the secret store (never logged: the redactor knows them).</summary>
    private BinanceOrderChannel Binance(InstrumentTable instruments)
    {
        var signer = new BinanceRequestSigner(secrets, redactor, new BinanceSigningOptions(settings.Execution.ApiKeySecret, settings.Execution.ApiSecretSecret));
        var rest = new BinanceRestClient(new HttpClient { Timeout = TimeSpan.FromSeconds(15) }, settings.Markets.Endpoints, market.Monitor, time,
            loggers.CreateLogger<BinanceRestClient>(), signer: signer, redactor: redactor);
        return new BinanceOrderChannel(rest, instruments, clock: time, logger: loggers.CreateLogger<BinanceOrderChannel>());
    }

    /// <summary>
    /// What the EXECUTION_CONTROL gate sees: the channel probed now (Paper: every routed book in sync; Binance: the
    /// exchange answers an open-orders query), the idempotency guard, and the latest reconciliation.
    /// </summary>
    public async Task<OrderPathStatus?> StatusAsync(CancellationToken cancellationToken)
    {
        if (Router is not { } router || Universe is not { } universe) return null;
        var (healthy, detail) = await ProbeAsync(router, universe, cancellationToken);
        var hits = metrics.Snapshot().Where(c => c.Environment == Environment).Sum(c => c.IdempotencyHits);
        var idempotency = $"every intent is routed by its client order id (tg- + SHA-256 of the intent id) in an insert-only store ({Store!.GetType().Name}); {hits} redelivered intent(s) answered from the record";
        var last = LastReconciliation;
        return new OrderPathStatus(router.Channel.Name, healthy, detail, idempotency, last?.Result, last?.At,
            last is null ? "" : $"{last.Id}: {last.Result}, open orders agree {last.OrdersAgreement}, fills {last.FillsAgreement}, {last.Differences.Count} difference(s)");
    }

    private static async Task<(bool Healthy, string Detail)> ProbeAsync(OrderRouter router, InstrumentTable universe, CancellationToken cancellationToken)
    {
        if (router.Channel is PaperChannel)
        {
            var unsynced = universe.All.Where(i => router.Health.HealthOf(i) == HealthLevel.Red).Select(i => i.Key).ToList();
            return unsynced.Count == 0 ? (true, $"every routed book ({universe.All.Count}) is in sync, so Paper can fill") : (false, $"no synced book for {string.Join(", ", unsynced)}");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var open = await router.Channel.OpenOrdersAsync(universe.All[0], timeout.Token);
            return (true, $"{universe.All[0].Key}: the exchange answered an open-orders query ({open.Count} open)");
        }
        catch (Exception e) when (e is ChannelUnavailableException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (false, $"{universe.All[0].Key}: the exchange did not answer an open-orders query ({e.Message})");
        }
    }

    /// <summary>Runs a reconciliation now (the API, the timer); only one at a time.</summary>
    public async Task<ReconciliationReport> ReconcileAsync(string trigger, CancellationToken cancellationToken)
        => await ReconcileWithAsync(await RoutingAsync(cancellationToken), trigger, cancellationToken);

    private async Task<ReconciliationReport> ReconcileWithAsync(OrderRouter router, string trigger, CancellationToken cancellationToken)
    {
        await reconciling.WaitAsync(cancellationToken);
        try
        {
            var id = $"recon-{Environment.ToLowerInvariant()}-{time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}-{Interlocked.Increment(ref reconciliations)}";
            var report = await reconciler!.RunAsync(id, cancellationToken);
            LastReconciliation = report;
            await RecordAsync(report, trigger, cancellationToken);
            if (report.Failed)
            {
                logger.LogCritical("{Code} (P0): reconciliation {Id} failed: orders {Orders}, fills {Fills}, {Differences} difference(s); engaging the kill switch on {Environment}",
                    ExecutionReasons.ReconFail, id, report.OrdersAgreement, report.FillsAgreement, report.Differences.Count, Environment);
                await killSwitch.EngageAsync(Reconciliation, settings.Execution.Environment!.Value,
                    $"reconciliation {id} failed: orders agree {report.OrdersAgreement}, fills {report.FillsAgreement}, {report.Differences.Count} difference(s)",
                    [ExecutionReasons.ReconFail], cancellationToken);
            }
            return report;
        }
        finally
        {
            reconciling.Release();
        }
    }

    private async Task RecordAsync(ReconciliationReport report, string trigger, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["reconciliation_id"] = report.Id,
            ["result"] = report.Result,
            ["reason_codes"] = new JsonArray([.. report.ReasonCodes.Select(c => (JsonNode)c)]),
            ["trigger"] = trigger,
            ["agreement"] = new JsonObject { ["orders"] = report.OrdersAgreement.ToString(System.Globalization.CultureInfo.InvariantCulture), ["fills"] = report.FillsAgreement.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["differences"] = new JsonArray([.. report.Differences.Take(100).Select(d => (JsonNode)$"{d.Kind} {d.InstrumentKey} {d.Id}: {d.Detail}")]),
            ["repaired"] = report.Repaired,
        };
        try
        {
            await ledger.Require().AppendAsync(LedgerEntry.Create(new LedgerEntryFields(LedgerKinds.Reconciliation.Name, $"reconciliation:{report.Id}", report.At,
                Reconciliation.Subject, report.Id, Environment, []), payload), cancellationToken);
        }
        catch (LedgerException e)
        {
            logger.LogError("Reconciliation {Id} ({Result}) could not be recorded: {Reason}", report.Id, report.Result, e.Message);
        }
    }

    /// <summary>
    /// The rules of the environment's Active Version Map (its <c>rules</c> artifact, whose rev must be the map's config
    /// version) and, while a release runs a canary there, the canary map's rules and the split that assigns decisions
    /// to it. The selection is swapped whole; then this host acknowledges the split record it now decides by.
    /// </summary>
    private async Task LoadRulesAsync(CancellationToken cancellationToken)
    {
        await loadingRules.WaitAsync(cancellationToken);
        try
        {
            var environment = settings.Execution.Environment!.Value;
            var active = await governance.VersionMaps.FindActiveAsync(environment, cancellationToken);
            if (active is null) { Stop("EXE-CONFIG-NONE: no Active Version Map, so no rules"); return; }
            var split = await governance.Splits.CurrentAsync(environment, cancellationToken);
            var epoch = split?.Sequence ?? 0;
            // A split staged beside another map than the active one is stale (the pointer moved under it): the active map decides alone.
            var canaryMap = split is { IsActive: true } && split.StableMap == active.Map.Id ? split.CanaryMap : null;
            var state = (active.Map.Id, canaryMap, epoch, split?.WeightBasisPoints ?? 0);
            if (state == rulesState && loop!.Selection is not null) return;

            var (stable, problem) = await StrategyOfAsync(active.Map, cancellationToken);
            if (stable is null) { Stop(problem!); return; }
            RuleStrategy? canary = null;
            if (canaryMap is not null)
            {
                var candidate = (await governance.VersionMaps.GetAsync(canaryMap, cancellationToken)).Map;
                (canary, var canaryProblem) = await StrategyOfAsync(candidate, cancellationToken);
                if (canary is null)
                    logger.LogWarning("Order path: canary map {Map} not loaded, the stable rules decide alone: {Problem}", canaryMap, canaryProblem);
            }
            var selection = canary is null || split is null
                ? RuleSelection.StableOnly(stable, epoch)
                : new RuleSelection(stable, canary, split.IsCanary, epoch);
            loop!.Selection = selection;
            rulesState = state;
            RulesProblem = null;
            if (canary is null)
                logger.LogInformation("Order path: rules {Rev} ({Name}, {Count} rule(s)) from map {Map} in force (split #{Epoch})",
                    stable.Rules.Rev, stable.Rules.Name, stable.Rules.Rules.Count, active.Map.Id, epoch);
            else
                logger.LogInformation("Order path: rules {Rev} from map {Map}, canary {Canary} from map {CanaryMap} on {Weight}% of decisions by {SplitBy} (split #{Epoch})",
                    stable.Rules.Rev, active.Map.Id, canary.Rules.Rev, canaryMap, split!.WeightPercent, split.SplitBy, epoch);
            if (epoch > 0)
                await governance.SplitAcknowledgements.AcknowledgeAsync(environment, new SplitAcknowledgement(hostId, epoch, stable.Rules.Rev,
                    canary?.Rules.Rev, canary is null ? 0 : split!.WeightBasisPoints, time.GetUtcNow()), cancellationToken);
        }
        finally
        {
            loadingRules.Release();
        }

        void Stop(string problem)
        {
            if (RulesProblem != problem) logger.LogWarning("Order path: no rules in force: {Problem}", problem);
            loop!.Selection = null; // first: while the problem shows, the old rules must not decide
            rulesState = default;
            RulesProblem = problem;
        }
    }

    /// <summary>A map's rule strategy, from the object store, kept per map (a map never changes under its id, and its rules' cooldowns carry on).</summary>
    private async Task<(RuleStrategy? Strategy, string? Problem)> StrategyOfAsync(Governance.VersionMaps.VersionMap map, CancellationToken cancellationToken)
    {
        if (strategies.TryGetValue(map.Id, out var known)) return (known, null);
        if (map.Artifacts.FirstOrDefault(a => a.Name == "rules") is not { } artifact)
            return (null, $"EXE-CONFIG-NO-RULES: map {map.Id} (config {map.Config}) has no rules artifact");
        var content = await governance.Content.ReadAsync(artifact.Digest["sha256:".Length..], cancellationToken);
        if (content is null) return (null, $"EXE-CONFIG-NO-RULES: the rules object {artifact.Digest} is not in the object store");
        RuleSet rules;
        try
        {
            rules = RuleSet.Parse(Encoding.UTF8.GetString(content), Universe!);
        }
        catch (RuleSetException e)
        {
            return (null, $"EXE-CONFIG-INVALID: {string.Join("; ", e.Problems.Take(5))}");
        }
        if (rules.Rev != map.Config)
            return (null, $"EXE-CONFIG-MISMATCH: the rules artifact is {rules.Rev}, the map's config version is {map.Config}");
        var strategy = new RuleStrategy(rules);
        strategies[map.Id] = strategy;
        return (strategy, null);
    }

    private async Task FollowRulesAsync(CancellationToken stoppingToken)
    {
        // This process's own split changes arrive at once; other hosts' (and version map switches) by polling.
        void OnSplit(TrafficSplit split)
        {
            if (split.Environment == settings.Execution.Environment) rulesChanged.Writer.TryWrite(true);
        }
        governance.Splits.Changed += OnSplit;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(settings.Execution.RulesPollInterval);
                    try { await rulesChanged.Reader.ReadAsync(wait.Token); }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                }
                try { await LoadRulesAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning("Order path: reading the active rules failed: {Reason}", e.Message); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            governance.Splits.Changed -= OnSplit;
        }
    }

    private async Task FeedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in features.Reader.ReadAllAsync(stoppingToken))
            {
                try { await loop!.OnFeaturesAsync(e, stoppingToken); }
                catch (Exception x) when (x is not OperationCanceledException) { logger.LogError(x, "Order path: feature event of {Instrument} failed", e.Instrument.Key); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task InFlightAsync(OrderRouter router, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await router.CheckInFlightAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning("Order path: in-flight check failed: {Reason}", e.Message); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task<MarketIngestHandler> WaitForMarketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (market.Handler is { } handler) return handler;
            if (market.Failure is { } failure) throw new InvalidOperationException($"the market plane did not start: {failure}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Intents go to the durable stream, partitioned by instrument, so one instrument's intents are routed in order.</summary>
    Task IIntentSink.SubmitAsync(OrderIntent intent, CancellationToken cancellationToken)
        => hub.PublishAsync(IntentsStream, intent.Instrument.Key, new Dictionary<string, string> { ["intent_id"] = intent.IntentId }, IntentJson.Serialize(intent), cancellationToken).AsTask();

    Task IOrderResultSink.PublishAsync(RouteResult result, CancellationToken cancellationToken)
        => hub.PublishAsync(ResultsStream, result.InstrumentKey, new Dictionary<string, string> { ["status"] = result.Status.Code() }, RouteResultJson.Serialize(result), cancellationToken).AsTask();

    private sealed class BoardStop(GovernanceHost governance, DeploymentEnvironment environment) : IStopSignal
    {
        public bool IsEngaged => governance.KillSwitch.Board.IsEngaged(environment);
    }

    /// <summary>Copies feature events off the ingest thread; when the order path falls behind, the oldest go (the book has moved on).</summary>
    private sealed class FeatureQueue(ChannelWriter<FeatureEvent> writer) : IFeatureSink
    {
        public void OnFeatures(in FeatureEvent features) => writer.TryWrite(features);
    }

    /// <summary>With in-memory storage there is nothing to survive a restart: the stream log is the process.</summary>
    private sealed class MemoryStreamLog : IStreamLog
    {
        public Task AppendAsync(string stream, string partition, Tollgate.Host.Functions.StreamEvent e, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task CheckpointAsync(string stream, string partition, long sequence, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<IReadOnlyList<RecoveredPartition>> RecoverAsync(string stream, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RecoveredPartition>>([]);
    }
}
