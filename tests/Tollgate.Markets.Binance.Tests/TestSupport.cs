using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tollgate.FakeExchange;
using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Tollgate.Markets.Binance.Tests;

internal static class Doc
{
    // Binance's documented SIGNED-endpoint example (spot API docs, "SIGNED Endpoint Examples for POST /api/v3/order").
    public const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    public const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    public const string Payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    public const string Signature = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
}

internal static class Fx
{
    public static BinanceEndpoints Endpoints(FakeExchange.FakeExchange exchange) =>
        new(exchange.SpotRestUri, exchange.SpotStreamUri, exchange.FuturesRestUri, exchange.FuturesStreamUri);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="seconds"/> (a deadline, never a timing assertion).</summary>
    public static async Task Eventually(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Advances <paramref name="clock"/> in small steps, letting the client run between them, until <paramref name="condition"/> holds.</summary>
    public static async Task AdvanceUntil(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TimeSpan step, Func<bool> condition, string what, int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps && !condition(); i++)
        {
            clock.Advance(step);
            await Task.Delay(5);
        }
        await Eventually(condition, what, 5);
    }

    public static FakeMarket Fake(MarketKind market) => market == MarketKind.Spot ? FakeMarket.Spot : FakeMarket.Futures;
}

internal sealed class RecordingObserver : IConnectorObserver
{
    public ConcurrentQueue<string> Log { get; } = new();
    public ConcurrentQueue<(MarketKind Market, TimeSpan Rtt, TimeSpan Skew)> Heartbeats { get; } = new();
    public ConcurrentQueue<(MarketKind Market, string Id, int Attempt)> Connected { get; } = new();
    public ConcurrentQueue<(MarketKind Market, string Id, string Reason, bool Planned)> Disconnected { get; } = new();
    public ConcurrentQueue<(MarketKind Market, int Status, TimeSpan RetryAfter)> RateLimited { get; } = new();
    public ConcurrentQueue<(MarketKind Market, string Interval, int Used, int Limit)> Weights { get; } = new();

    public void OnHeartbeat(MarketKind market, TimeSpan roundTrip, TimeSpan clockSkew) { Heartbeats.Enqueue((market, roundTrip, clockSkew)); Log.Enqueue($"heartbeat {market}"); }
    public void OnConnected(MarketKind market, string connectionId, int attempt) { Connected.Enqueue((market, connectionId, attempt)); Log.Enqueue($"connected {connectionId} {attempt}"); }
    public void OnDisconnected(MarketKind market, string connectionId, string reason, bool planned) { Disconnected.Enqueue((market, connectionId, reason, planned)); Log.Enqueue($"disconnected {connectionId} planned={planned} {reason}"); }
    public void OnRateLimited(MarketKind market, int statusCode, TimeSpan retryAfter) { RateLimited.Enqueue((market, statusCode, retryAfter)); Log.Enqueue($"limited {market} {statusCode} {retryAfter}"); }
    public void OnWeightUsed(MarketKind market, string interval, int used, int limit) => Weights.Enqueue((market, interval, used, limit));
}

internal sealed record PublishedFrame(string PartitionKey, FrameHeader Header, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Stream => Header.Kind == FrameKind.Stream ? Json.GetProperty("stream").GetString() : null;
}

internal sealed class RecordingSink : IFrameSink
{
    private readonly ConcurrentQueue<PublishedFrame> frames = new();
    private volatile TaskCompletionSource? gate;

    public IReadOnlyList<PublishedFrame> Frames => [.. frames];
    public int Count => frames.Count;

    /// <summary>From now on PublishAsync waits (backpressure) until <see cref="Release"/>.</summary>
    public void Block() => gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Release() => Interlocked.Exchange(ref gate, null)?.TrySetResult();

    public async ValueTask PublishAsync(string partitionKey, FrameHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        frames.Enqueue(new PublishedFrame(partitionKey, header, body.ToArray()));
        if (gate is { } g) await g.Task.WaitAsync(cancellationToken);
    }

    public IEnumerable<PublishedFrame> Of(string stream, MarketKind market = MarketKind.Spot) =>
        Frames.Where(f => f.Header.Kind == FrameKind.Stream && f.Header.Market == market && f.Stream == stream);
}

internal sealed class CapturingLogger : ILogger, ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    public ILogger CreateLogger(string categoryName) => this;
    public void Dispose() { }
    public string All => string.Join('\n', Lines);
}

internal sealed class MemorySecretStore(Dictionary<string, string> values) : ISecretStore
{
    public List<(string Name, string Purpose)> Reads { get; } = [];
    public Task<string?> GetAsync(string name, string purpose, CancellationToken cancellationToken)
    {
        lock (Reads) Reads.Add((name, purpose));
        return Task.FromResult(values.GetValueOrDefault(name));
    }
}
