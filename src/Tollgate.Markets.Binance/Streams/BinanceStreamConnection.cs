using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Streams;

/// <summary>Called with each whole message: its bytes (a fresh array the callee may keep) and when it was read off the socket.</summary>
public delegate ValueTask StreamMessageHandler(BinanceStreamConnection connection, byte[] message, DateTimeOffset receivedAt, CancellationToken cancellationToken);

/// <summary>
/// One combined-stream WebSocket (<c>/stream?streams=a/b/c</c>). Binance pings; ClientWebSocket answers every ping
/// with a pong carrying the same payload while a receive is pending, which the receive loop always keeps. A connection
/// with no message for <see cref="StreamOptions.IdleTimeout"/> is aborted (the ping timeout), and ClientWebSocket's own
/// keep-alive pings abort it when the server stops answering.
/// </summary>
public sealed class BinanceStreamConnection : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly BinanceEndpoints endpoints;
    private readonly StreamOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly TimeSpan minSendSpacing;
    private readonly List<string> streams;
    private DateTimeOffset lastSentAt = DateTimeOffset.MinValue;
    private long lastMessageTicks;
    private long messages;
    private int nextRequestId;
    private volatile string? abortReason;
    private readonly TaskCompletionSource firstMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BinanceStreamConnection(MarketKind market, string id, IEnumerable<string> streams, BinanceEndpoints endpoints, StreamOptions options, TimeProvider clock, ILogger logger)
    {
        Market = market;
        Id = id;
        this.streams = [.. streams];
        if (this.streams.Count == 0) throw new ArgumentException("A connection needs at least one stream.", nameof(streams));
        if (this.streams.Count > BinanceStreams.MaxStreamsPerConnection(market))
            throw new ArgumentException($"{this.streams.Count} streams exceed the {BinanceStreams.MaxStreamsPerConnection(market)} one {market} connection may carry.", nameof(streams));
        this.endpoints = endpoints;
        this.options = options;
        this.clock = clock;
        this.logger = logger;
        minSendSpacing = TimeSpan.FromSeconds(1.0 / BinanceStreams.MaxIncomingMessagesPerSecond(market));
        socket.Options.KeepAliveInterval = options.EffectiveKeepAliveInterval == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : options.EffectiveKeepAliveInterval;
        if (options.EffectiveKeepAliveTimeout != Timeout.InfiniteTimeSpan && options.EffectiveKeepAliveInterval != Timeout.InfiniteTimeSpan)
            socket.Options.KeepAliveTimeout = options.EffectiveKeepAliveTimeout;
    }

    public MarketKind Market { get; }
    public string Id { get; }
    public IReadOnlyList<string> Streams => streams;
    public long MessagesReceived => Interlocked.Read(ref messages);
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>Completes when the first message arrives.</summary>
    public Task FirstMessage => firstMessage.Task;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.EffectiveConnectTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var uri = endpoints.CombinedStreamUri(Market, streams);
        try
        {
            await socket.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new BinanceException(BinanceReasons.StreamFailed, $"{Market.Code()} connection {Id} could not open: {(e is OperationCanceledException ? "timed out" : e.Message)}");
        }
        OpenedAt = clock.GetUtcNow();
        Volatile.Write(ref lastMessageTicks, OpenedAt.UtcTicks);
        logger.LogInformation("Binance {Market} stream connection {Id} open with {Count} streams.", Market, Id, streams.Count);
    }

    /// <summary>
    /// Reads messages until the connection ends and says why; throws <see cref="OperationCanceledException"/> only for
    /// <paramref name="cancellationToken"/>. After <see cref="CloseAsync"/> it keeps reading (and delivering) until the
    /// server's close arrives, so nothing in flight is lost.
    /// </summary>
    public async Task<string> RunAsync(StreamMessageHandler onMessage, CancellationToken cancellationToken)
    {
        // Return to the caller before the first message is handled, so it can arm its timers (rotation) first.
        await Task.Yield();
        using var watchdog = options.EffectiveIdleTimeout == Timeout.InfiniteTimeSpan ? null
            : clock.CreateTimer(_ => CheckIdle(), null, Quarter(options.EffectiveIdleTimeout), Quarter(options.EffectiveIdleTimeout));
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    socket.Abort();
                    throw;
                }
                catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
                {
                    return abortReason ?? $"receive failed: {e.Message}";
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(options.EffectiveCloseTimeout, clock, CancellationToken.None).ConfigureAwait(false); }
                        catch (Exception) { socket.Abort(); }
                    }
                    return abortReason ?? $"server closed ({(int?)socket.CloseStatus} {socket.CloseStatusDescription})";
                }
                filled += result.Count;
                if (!result.EndOfMessage) continue;
                var message = buffer.AsSpan(0, filled).ToArray();
                filled = 0;
                var receivedAt = clock.GetUtcNow();
                Volatile.Write(ref lastMessageTicks, receivedAt.UtcTicks);
                Interlocked.Increment(ref messages);
                firstMessage.TrySetResult();
                await onMessage(this, message, receivedAt, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TimeSpan Quarter(TimeSpan span) => span / 4 > TimeSpan.FromMilliseconds(10) ? span / 4 : TimeSpan.FromMilliseconds(10);

    private void CheckIdle()
    {
        var silent = clock.GetUtcNow() - new DateTimeOffset(Volatile.Read(ref lastMessageTicks), TimeSpan.Zero);
        if (silent <= options.EffectiveIdleTimeout || abortReason is not null) return;
        abortReason = $"ping timeout: no message for {silent.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
        logger.LogWarning("Binance {Market} stream connection {Id}: {Reason}; aborting.", Market, Id, abortReason);
        socket.Abort();
    }

    /// <summary>Sends <c>SUBSCRIBE</c> for <paramref name="more"/>, paced under the market's incoming-message limit.</summary>
    public Task<int> SubscribeAsync(IReadOnlyList<string> more, CancellationToken cancellationToken) => SendMethodAsync("SUBSCRIBE", more, cancellationToken);

    public Task<int> UnsubscribeAsync(IReadOnlyList<string> fewer, CancellationToken cancellationToken) => SendMethodAsync("UNSUBSCRIBE", fewer, cancellationToken);

    private async Task<int> SendMethodAsync(string method, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0) throw new ArgumentException("Name at least one stream.", nameof(names));
        if (method == "SUBSCRIBE" && streams.Count + names.Count > BinanceStreams.MaxStreamsPerConnection(Market))
            throw new BinanceException(BinanceReasons.BadRequest, $"{Market.Code()} connection {Id} would carry more than {BinanceStreams.MaxStreamsPerConnection(Market)} streams.");
        foreach (var name in names)
            if (name.Length == 0 || name.Any(c => c is '"' or '\\' or '/' || char.IsControl(c) || char.IsWhiteSpace(c)))
                throw new ArgumentException($"'{name}' is not a stream name.", nameof(names));
        var id = Interlocked.Increment(ref nextRequestId);
        var json = $"{{\"method\":\"{method}\",\"params\":[{string.Join(',', names.Select(n => $"\"{n}\""))}],\"id\":{id.ToString(CultureInfo.InvariantCulture)}}}";
        await sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wait = lastSentAt + minSendSpacing - clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            lastSentAt = clock.GetUtcNow();
            if (method == "SUBSCRIBE") streams.AddRange(names.Where(n => !streams.Contains(n)));
            else streams.RemoveAll(names.Contains);
        }
        finally
        {
            sending.Release();
        }
        return id;
    }

    /// <summary>Starts a graceful close: sends Close; <see cref="RunAsync"/> drains until the server's Close, or the socket is aborted after the close timeout.</summary>
    public async Task CloseAsync(string reason)
    {
        abortReason ??= reason;
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason.Length > 100 ? reason[..100] : reason, CancellationToken.None)
                .WaitAsync(options.EffectiveCloseTimeout, clock, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or ObjectDisposedException or IOException)
        {
            socket.Abort();
        }
    }

    /// <summary>Aborts the socket at once (the receive loop returns <paramref name="reason"/>).</summary>
    public void Abort(string reason)
    {
        abortReason ??= reason;
        socket.Abort();
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        sending.Dispose();
        return ValueTask.CompletedTask;
    }
}
