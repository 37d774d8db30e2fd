using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.FakeExchange;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Streams;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Tests;

public sealed class StreamTests
{
    [Theory]
    [InlineData("{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":1}}", StreamMessageKind.Data, "btcusdt")]
    [InlineData("{\"data\":{\"u\":[1,{\"x\":2}]},\"stream\":\"ethusdt@depth@100ms\"}", StreamMessageKind.Data, "ethusdt")]
    [InlineData("{\"stream\":\"\\u0062tcusdt@aggTrade\",\"data\":{}}", StreamMessageKind.Data, "btcusdt")]
    [InlineData("{\"result\":null,\"id\":1}", StreamMessageKind.Result, "")]
    [InlineData("{\"id\":3,\"result\":[\"btcusdt@aggTrade\"]}", StreamMessageKind.Result, "")]
    [InlineData("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":1}", StreamMessageKind.Error, "")]
    [InlineData("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", StreamMessageKind.Error, "")]
    [InlineData("not json", StreamMessageKind.Unknown, "")]
    [InlineData("[]", StreamMessageKind.Unknown, "")]
    [InlineData("{\"stream\":5}", StreamMessageKind.Unknown, "")]
    public void Classifies_combined_stream_messages(string message, StreamMessageKind kind, string symbol)
    {
        Assert.Equal(kind, StreamMessage.Classify(Encoding.UTF8.GetBytes(message), new byte[64], out var found));
        Assert.Equal(symbol, Encoding.ASCII.GetString(found));
    }

    [Fact]
    public void Backoff_is_full_jitter_under_an_exponential_ceiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), new Random(1));
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000], Enumerable.Range(1, 7).Select(a => (int)backoff.Ceiling(a).TotalMilliseconds));
        for (var attempt = 1; attempt < 40; attempt++)
            Assert.InRange(backoff.Next(attempt), TimeSpan.Zero, backoff.Ceiling(attempt));
    }

    [Fact]
    public async Task Connection_attempts_are_held_to_the_window_limit()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var limiter = new ConnectionAttemptLimiter(3, TimeSpan.FromMinutes(5), clock);
        for (var i = 0; i < 3; i++) await limiter.WaitAsync(CancellationToken.None);
        var fourth = limiter.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(fourth.IsCompleted);
        await Fx.AdvanceUntil(clock, TimeSpan.FromSeconds(10), () => fourth.IsCompleted, "the fourth attempt");
    }

    [Fact]
    public async Task Subscribe_is_acknowledged_and_the_new_stream_flows_on_the_same_connection()
    {
        await using var exchange = await FakeExchange.FakeExchange.StartAsync();
        var endpoints = Fx.Endpoints(exchange);
        await using var connection = new BinanceStreamConnection(MarketKind.Spot, "t-1", ["btcusdt@bookTicker"], endpoints, new StreamOptions(), TimeProvider.System, NullLogger.Instance);
        await connection.ConnectAsync(CancellationToken.None);
        var messages = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync((_, body, _, _) => { messages.Enqueue(Encoding.UTF8.GetString(body)); return ValueTask.CompletedTask; }, stop.Token);
        var id = await connection.SubscribeAsync(["ethusdt@aggTrade"], CancellationToken.None);
        await Fx.Eventually(() => messages.Contains($"{{\"result\":null,\"id\":{id}}}") && messages.Any(m => m.StartsWith("{\"stream\":\"ethusdt@aggTrade\"")), "the ack and the new stream");
        Assert.Contains("ethusdt@aggTrade", connection.Streams);
        await connection.CloseAsync("done");
        Assert.StartsWith("done", await run);
    }

    [Fact]
    public async Task A_refused_handshake_fails_with_a_reason_code_and_too_many_streams_is_refused_locally()
    {
        await using var exchange = await FakeExchange.FakeExchange.StartAsync(new FakeExchangeOptions { TickInterval = Timeout.InfiniteTimeSpan });
        await using var bad = new BinanceStreamConnection(MarketKind.Spot, "t-2", ["nopeusdt@bookTicker"], Fx.Endpoints(exchange), new StreamOptions(), TimeProvider.System, NullLogger.Instance);
        var e = await Assert.ThrowsAsync<BinanceException>(() => bad.ConnectAsync(CancellationToken.None));
        Assert.Equal(BinanceReasons.StreamFailed, e.ReasonCode);
        Assert.Throws<ArgumentException>(() => new BinanceStreamConnection(MarketKind.Futures, "t-3", Enumerable.Range(0, 201).Select(i => $"s{i}usdt@aggTrade"),
            Fx.Endpoints(exchange), new StreamOptions(), TimeProvider.System, NullLogger.Instance));
    }

    [Fact]
    public void Endpoints_build_combined_stream_URIs_under_a_path_prefix()
    {
        var endpoints = new BinanceEndpoints(new("http://127.0.0.1:5/"), new("ws://127.0.0.1:5/"), new("http://127.0.0.1:5"), new("ws://127.0.0.1:5/futures"));
        Assert.Equal("ws://127.0.0.1:5/stream?streams=btcusdt@bookTicker/btcusdt@depth@100ms",
            endpoints.CombinedStreamUri(MarketKind.Spot, ["btcusdt@bookTicker", "btcusdt@depth@100ms"]).ToString());
        Assert.Equal("ws://127.0.0.1:5/futures/stream?streams=btcusdt@markPrice@1s", endpoints.CombinedStreamUri(MarketKind.Futures, ["btcusdt@markPrice@1s"]).ToString());
        Assert.Equal("https://fapi.binance.com/fapi/v1/time", BinanceEndpoints.Production.RestUri(MarketKind.Futures, "/fapi/v1/time").ToString());
    }
}
