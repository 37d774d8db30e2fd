using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Streams;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Markets.Binance.Connector;

/// <summary>
/// Binance market data for an <see cref="InstrumentTable"/>: stream connections per market (split by the
/// per-connection stream limit, an instrument's streams on one connection), every message handed to the
/// <see cref="IFrameSink"/> keyed by its instrument, a REST depth snapshot for every depth instrument once its stream is
/// open (and again after every drop), snapshots on request (<see cref="ISnapshotRequester"/>: coalesced per instrument,
/// paced by request weight, fetched in the background), and a heartbeat per market.
/// </summary>
public sealed class MarketConnector : ISnapshotRequester, IAsyncDisposable
{
    private readonly InstrumentTable instruments;
    private readonly IFrameSink sink;
    private readonly IConnectorObserver observer;
    private readonly BinanceRestClient rest;
    private readonly MarketConnectorOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly List<ConnectionSupervisor> supervisors = [];
    private readonly Channel<Instrument> snapshotQueue = Channel.CreateUnbounded<Instrument>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> pendingSnapshots = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource hard = new();
    private Task? running;
    private long framesPublished, snapshotsPublished, snapshotFetches, framesDropped, streamErrors;

    public MarketConnector(InstrumentTable instruments, IFrameSink sink, IConnectorObserver observer, BinanceRestClient rest,
        MarketConnectorOptions? options = null, TimeProvider? clock = null, ILogger? logger = null)
    {
        this.instruments = instruments ?? throw new ArgumentNullException(nameof(instruments));
        this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
        this.observer = observer ?? throw new ArgumentNullException(nameof(observer));
        this.rest = rest ?? throw new ArgumentNullException(nameof(rest));
        this.options = options ?? new MarketConnectorOptions();
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        Plan = PlanConnections(instruments, this.options);
        var random = this.options.Random ?? Random.Shared;
        var streams = this.options.EffectiveStreams;
        foreach (var group in Plan.GroupBy(p => p.Market))
        {
            var limiter = new ConnectionAttemptLimiter(streams.ValidatedConnectionAttempts, streams.EffectiveConnectionAttemptWindow, this.clock);
            foreach (var plan in group)
                supervisors.Add(new ConnectionSupervisor(plan, rest.Endpoints, streams, this.clock, this.logger, observer, limiter,
                    new ReconnectBackoff(streams.EffectiveReconnectBaseDelay, streams.EffectiveReconnectMaxDelay, random),
                    OnMessageAsync, OnOpenedAfterDrop));
        }
    }

    /// <summary>The connections, as planned from the table: per market, instruments in key order packed up to the stream limit.</summary>
    public IReadOnlyList<ConnectionPlan> Plan { get; }

    /// <summary>The ids of the connections open now.</summary>
    public IReadOnlyList<string> OpenConnections => [.. supervisors.Select(s => s.Current?.Id).OfType<string>()];

    public long FramesPublished => Interlocked.Read(ref framesPublished);
    public long SnapshotsPublished => Interlocked.Read(ref snapshotsPublished);
    public long SnapshotFetches => Interlocked.Read(ref snapshotFetches);
    /// <summary>Data frames whose symbol is not in the table (dropped), and non-data messages that were not replies.</summary>
    public long FramesDropped => Interlocked.Read(ref framesDropped);
    /// <summary>Error messages the exchange sent on a stream connection (logged with <see cref="BinanceReasons.StreamError"/>).</summary>
    public long StreamErrors => Interlocked.Read(ref streamErrors);

    /// <summary>Splits the table's streams into connections of at most the market's limit, keeping each instrument's streams together when they fit.</summary>
    public static IReadOnlyList<ConnectionPlan> PlanConnections(InstrumentTable table, MarketConnectorOptions options)
    {
        var plans = new List<ConnectionPlan>();
        foreach (var market in new[] { MarketKind.Spot, MarketKind.Futures })
        {
            var max = options.MaxStreamsPerConnection(market);
            var streams = new List<string>();
            var depth = new List<Instrument>();
            void Flush()
            {
                if (streams.Count == 0) return;
                plans.Add(new ConnectionPlan(market, plans.Count(p => p.Market == market), [.. streams], [.. depth]));
                streams.Clear();
                depth.Clear();
            }
            foreach (var instrument in table.All.Where(i => i.Market == market))
            {
                var wanted = options.StreamsOf(instrument);
                var names = BinanceStreams.For(instrument, wanted).ToList();
                if (names.Count == 0) continue;
                if (streams.Count + names.Count > max) Flush();
                foreach (var name in names)
                {
                    if (streams.Count == max) Flush();
                    streams.Add(name);
                    if (name == BinanceStreams.Depth(instrument.Symbol)) depth.Add(instrument);
                }
            }
            Flush();
        }
        return plans;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled or <see cref="StopAsync"/> is called; then closes every connection gracefully.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref running, Task.CompletedTask, null) is not null)
            throw new InvalidOperationException("The connector is already running; one RunAsync per connector.");
        var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), stopping);
        var task = RunCoreAsync(registration);
        running = task;
        return task;
    }

    private async Task RunCoreAsync(CancellationTokenRegistration registration)
    {
        await using var _ = registration.ConfigureAwait(false);
        var stop = stopping.Token;
        var tasks = new List<Task>();
        foreach (var supervisor in supervisors) tasks.Add(Task.Run(() => supervisor.RunAsync(stop, hard.Token), CancellationToken.None));
        tasks.Add(Task.Run(() => SnapshotLoopAsync(stop), CancellationToken.None));
        foreach (var market in Plan.Select(p => p.Market).Distinct())
            if (options.EffectiveHeartbeatInterval != Timeout.InfiniteTimeSpan)
                tasks.Add(Task.Run(() => HeartbeatLoopAsync(market, stop), CancellationToken.None));
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await hard.CancelAsync().ConfigureAwait(false);
        }
        logger.LogInformation("Binance connector stopped: {Frames} frames, {Snapshots} snapshots published.", FramesPublished, SnapshotsPublished);
    }

    /// <summary>Stops gracefully: every connection is closed (its in-flight frames still delivered), then background work ends.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (running is { } task) await task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
        hard.Dispose();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The key is not in the table.</exception>
    public void RequestSnapshot(string instrumentKey, string reason)
    {
        var instrument = instruments.Find(instrumentKey)
            ?? throw new ArgumentException($"{BinanceReasons.UnknownSymbol}: '{instrumentKey}' is not in the connector's instrument table.", nameof(instrumentKey));
        Enqueue(instrument, reason);
    }

    private void Enqueue(Instrument instrument, string reason)
    {
        if (!pendingSnapshots.TryAdd(instrument.Key, 0))
        {
            logger.LogDebug("Snapshot of {Instrument} already pending; {Reason} coalesced.", instrument.Key, reason);
            return;
        }
        logger.LogInformation("Snapshot of {Instrument} requested: {Reason}.", instrument.Key, reason);
        snapshotQueue.Writer.TryWrite(instrument);
    }

    private void OnOpenedAfterDrop(ConnectionPlan plan)
    {
        foreach (var instrument in plan.DepthInstruments) Enqueue(instrument, "stream opened");
    }

    private async Task SnapshotLoopAsync(CancellationToken stop)
    {
        await foreach (var instrument in snapshotQueue.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            // Removed before the fetch: a request arriving while it runs may come from a gap after it, so it fetches again.
            pendingSnapshots.TryRemove(instrument.Key, out _);
            try
            {
                Interlocked.Increment(ref snapshotFetches);
                var body = await rest.GetDepthSnapshotAsync(instrument.Market, instrument.Symbol, options.DepthLimit(instrument.Market), stop).ConfigureAwait(false);
                await sink.PublishAsync(instrument.Key, new FrameHeader(instrument.Market, FrameKind.DepthSnapshot, instrument.Symbol, clock.GetUtcNow()), body, hard.Token).ConfigureAwait(false);
                Interlocked.Increment(ref snapshotsPublished);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (BinanceException e)
            {
                var wait = options.EffectiveSnapshotRetryDelay;
                if (rest.BannedUntil(instrument.Market) - clock.GetUtcNow() is var ban && ban > wait) wait = ban;
                logger.LogWarning("Snapshot of {Instrument} failed ({Reason}); again in {Wait}.", instrument.Key, e.ReasonCode, wait);
                _ = RetryLaterAsync(instrument, wait, stop);
            }
        }
    }

    private async Task RetryLaterAsync(Instrument instrument, TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait, clock, stop).ConfigureAwait(false);
            Enqueue(instrument, "retry after a failed fetch");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HeartbeatLoopAsync(MarketKind market, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.EffectiveHeartbeatInterval, clock);
        do
        {
            try
            {
                var time = await rest.GetServerTimeAsync(market, stop).ConfigureAwait(false);
                observer.OnHeartbeat(market, time.RoundTrip, time.ClockOffset);
            }
            catch (BinanceException e)
            {
                logger.LogWarning("Binance {Market} heartbeat failed: {Reason}.", market, e.ReasonCode);
            }
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    private ValueTask OnMessageAsync(BinanceStreamConnection connection, byte[] message, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var kind = Route(connection.Market, message, out var instrument);
        switch (kind)
        {
            case StreamMessageKind.Data when instrument is not null:
                Interlocked.Increment(ref framesPublished);
                return sink.PublishAsync(instrument.Key, new FrameHeader(connection.Market, FrameKind.Stream, null, receivedAt), message, cancellationToken);
            case StreamMessageKind.Data:
                Interlocked.Increment(ref framesDropped);
                logger.LogDebug("Binance {Market} connection {Id}: a frame for a symbol outside the table dropped.", connection.Market, connection.Id);
                break;
            case StreamMessageKind.Result:
                logger.LogDebug("Binance {Market} connection {Id}: reply {Reply}.", connection.Market, connection.Id, Excerpt(message));
                break;
            case StreamMessageKind.Error:
                Interlocked.Increment(ref streamErrors);
                logger.LogWarning("{Reason}: Binance {Market} connection {Id} sent an error: {Error}.", BinanceReasons.StreamError, connection.Market, connection.Id, Excerpt(message));
                break;
            default:
                Interlocked.Increment(ref framesDropped);
                logger.LogWarning("Binance {Market} connection {Id}: a message that is neither data nor a reply dropped: {Message}.", connection.Market, connection.Id, Excerpt(message));
                break;
        }
        return ValueTask.CompletedTask;
    }

    private StreamMessageKind Route(MarketKind market, byte[] message, out Instrument? instrument)
    {
        instrument = null;
        Span<byte> scratch = stackalloc byte[128];
        var kind = StreamMessage.Classify(message, scratch, out var symbol);
        if (kind == StreamMessageKind.Data && instruments.TryFind(market, symbol, out var found)) instrument = found;
        return kind;
    }

    private static string Excerpt(byte[] message)
    {
        var text = Encoding.UTF8.GetString(message, 0, Math.Min(message.Length, 200));
        return new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
    }
}
