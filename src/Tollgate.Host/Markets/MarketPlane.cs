using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Host.Functions;
using Tollgate.Host.Settings;
using Tollgate.Host.Standalone;
using Tollgate.Markets.Binance.Connector;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Host.Markets;

/// <summary>
/// The market plane of the standalone host: reads the configured instruments' filters from exchangeInfo, runs the
/// Binance connector into the <see cref="StreamHub"/>'s <see cref="FramesStream"/> (partition = instrument), and
/// holds the ingest handler the <c>market-ingest</c> stream function feeds. Every ingested frame is captured when
/// a capture folder is set. Off when no instruments are configured.
/// </summary>
public sealed class MarketPlane(HostSettings settings, StreamHub hub, MarketDataMonitor monitor, TimeProvider time, ILoggerFactory loggers)
    : BackgroundService, IFrameSink
{
    public const string FramesStream = "market-frames";

    private readonly ILogger logger = loggers.CreateLogger<MarketPlane>();
    private readonly TaskCompletionSource<MarketIngestHandler> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FeatureCounter features = new();
    private MarketConnector? connector;
    private CaptureWriter? capture;

    public MarketSettings Settings => settings.Markets;

    /// <summary>The handler once the instruments are known; null while starting, failed, or off.</summary>
    public MarketIngestHandler? Handler => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : null;
    public MarketConnector? Connector => connector;
    public MarketDataMonitor Monitor => monitor;
    public long FeatureEvents => features.Count;
    public string? CapturePath { get; private set; }

    /// <summary>Why the plane is not running, when it failed to start.</summary>
    public string? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Markets.Enabled) return;
        monitor.Reported += e => logger.LogWarning("{Code} {Instrument}: {Detail}", e.Code, e.InstrumentKey, e.Detail);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var rest = new BinanceRestClient(http, settings.Markets.Endpoints, monitor, time, loggers.CreateLogger<BinanceRestClient>());
        InstrumentTable table;
        try
        {
            table = await LoadInstrumentsAsync(rest, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Failure = e.Message;
            logger.LogError("Market plane not started: {Reason}", e.Message);
            ready.TrySetException(e);
            return;
        }
        catch (OperationCanceledException)
        {
            ready.TrySetCanceled(stoppingToken);
            return;
        }

        if (settings.Markets.CaptureFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
            CapturePath = Path.Combine(folder, $"capture-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}.jsonl.gz");
            capture = new CaptureWriter(new FileStream(CapturePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read), new CaptureHeader($"tollgate standalone host, {settings.Markets.Endpoints.SpotRest.Host}", time.GetUtcNow(), table));
            logger.LogInformation("Market plane: capturing every ingested frame to {Path}", CapturePath);
        }

        connector = new MarketConnector(table, this, monitor, rest,
            new MarketConnectorOptions(HeartbeatInterval: settings.Markets.Heartbeat), time, loggers.CreateLogger<MarketConnector>());
        ready.TrySetResult(new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, features, monitor, connector));
        logger.LogInformation("Market plane: {Count} instrument(s) [{Instruments}] from {Endpoint}",
            table.All.Count, string.Join(", ", table.All.Select(i => i.Key)), settings.Markets.Endpoints.SpotRest);
        var flushing = capture is null ? Task.CompletedTask : FlushCaptureAsync(capture, stoppingToken);
        try
        {
            await connector.RunAsync(stoppingToken);
        }
        finally
        {
            await connector.DisposeAsync();
            await flushing;
            if (capture is not null) await capture.DisposeAsync();
        }
    }

    /// <summary>Flushes the capture every second, so a capture read while the host runs (or after it crashed) lags by at most that.</summary>
    private async Task FlushCaptureAsync(CaptureWriter writer, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await writer.FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<InstrumentTable> LoadInstrumentsAsync(BinanceRestClient rest, CancellationToken cancellationToken)
    {
        var found = new List<Instrument>();
        foreach (var market in settings.Markets.Instruments.Select(i => i.Market).Distinct())
        {
            var info = await rest.GetExchangeInfoAsync(market, cancellationToken);
            foreach (var (_, symbol) in settings.Markets.Instruments.Where(i => i.Market == market))
                found.Add(info.Find(symbol) ?? throw new InvalidOperationException($"MKT-UNKNOWN-SYMBOL: {market.Code()}:{symbol} is not listed in the exchange's exchangeInfo."));
        }
        return new InstrumentTable(found);
    }

    /// <summary>The connector's frames go into the stream hub, one partition per instrument.</summary>
    ValueTask IFrameSink.PublishAsync(string partitionKey, FrameHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        => hub.PublishAsync(FramesStream, partitionKey, FrameProperties.From(header), body, cancellationToken);

    /// <summary>One batch of the <c>market-ingest</c> function: frames of one partition into the handler (and the capture).</summary>
    public async Task<IngestResult> IngestAsync(StreamInput input, CancellationToken cancellationToken)
    {
        var handler = await ready.Task.WaitAsync(cancellationToken);
        var frames = new List<IngestFrame>(input.Events.Count);
        foreach (var e in input.Events)
        {
            if (!FrameProperties.TryParse(e.Properties, out var header))
            {
                handler.CountDropped(FrameFault.Header);
                continue;
            }
            var frame = new IngestFrame(e.SequenceNumber, e.EnqueuedAt, header, e.Body);
            if (capture is not null) await capture.WriteAsync(input.PartitionId, frame, cancellationToken);
            frames.Add(frame);
        }
        return handler.Handle(new IngestBatch(input.PartitionId, frames));
    }

    /// <summary>Hands every feature event from now on to <paramref name="sink"/> too (the order path), on the ingest thread.</summary>
    public void AddFeatureSink(IFeatureSink sink) => features.Add(sink);

    private sealed class FeatureCounter : IFeatureSink
    {
        private long count;
        private volatile IFeatureSink[] sinks = [];
        public long Count => Interlocked.Read(ref count);

        public void Add(IFeatureSink sink)
        {
            lock (this) sinks = [.. sinks, sink];
        }

        public void OnFeatures(in FeatureEvent features)
        {
            Interlocked.Increment(ref count);
            foreach (var sink in sinks) sink.OnFeatures(features);
        }
    }
}
