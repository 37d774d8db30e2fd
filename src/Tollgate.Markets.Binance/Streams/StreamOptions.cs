namespace Tollgate.Markets.Binance.Streams;

/// <summary>How stream connections stay alive, are replaced and reconnect. Every time is measured on the connector's <see cref="TimeProvider"/>.</summary>
/// <param name="IdleTimeout">No message for this long → the connection is dead (the "ping timeout"): abort and reconnect. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</param>
/// <param name="KeepAliveInterval">How often the client pings the server itself (ClientWebSocket); Binance's own pings are answered by ClientWebSocket with a pong carrying their payload.</param>
/// <param name="KeepAliveTimeout">No pong to a client ping within this → abort. <see cref="Timeout.InfiniteTimeSpan"/> sends unsolicited pongs instead of pings.</param>
/// <param name="RotateAfter">Planned replacement before Binance's 24 h cut: a new connection is opened, then the old one closed.</param>
/// <param name="RotationOverlap">How long the rotation waits for the new connection's first message before closing the old one anyway.</param>
/// <param name="CloseTimeout">How long a graceful close may take before the socket is aborted.</param>
/// <param name="ReconnectBaseDelay">Backoff after a drop: full jitter over base × 2^(attempt−1), capped at <paramref name="ReconnectMaxDelay"/>.</param>
/// <param name="ConnectionAttemptsPerWindow">Connection attempts allowed per <paramref name="ConnectionAttemptWindow"/> per market (spot: 300 per 5 minutes per IP).</param>
public sealed record StreamOptions(
    TimeSpan? IdleTimeout = null,
    TimeSpan? KeepAliveInterval = null,
    TimeSpan? KeepAliveTimeout = null,
    TimeSpan? RotateAfter = null,
    TimeSpan? RotationOverlap = null,
    TimeSpan? CloseTimeout = null,
    TimeSpan? ReconnectBaseDelay = null,
    TimeSpan? ReconnectMaxDelay = null,
    int ConnectionAttemptsPerWindow = 300,
    TimeSpan? ConnectionAttemptWindow = null,
    TimeSpan? ConnectTimeout = null)
{
    public TimeSpan EffectiveIdleTimeout { get; } = PositiveOrInfinite(IdleTimeout ?? TimeSpan.FromSeconds(60), nameof(IdleTimeout));
    public TimeSpan EffectiveKeepAliveInterval { get; } = PositiveOrInfinite(KeepAliveInterval ?? TimeSpan.FromSeconds(20), nameof(KeepAliveInterval));
    public TimeSpan EffectiveKeepAliveTimeout { get; } = PositiveOrInfinite(KeepAliveTimeout ?? TimeSpan.FromSeconds(20), nameof(KeepAliveTimeout));
    public TimeSpan EffectiveRotateAfter { get; } = Below24h(RotateAfter ?? new TimeSpan(23, 30, 0));
    public TimeSpan EffectiveRotationOverlap { get; } = Positive(RotationOverlap ?? TimeSpan.FromSeconds(5), nameof(RotationOverlap));
    public TimeSpan EffectiveCloseTimeout { get; } = Positive(CloseTimeout ?? TimeSpan.FromSeconds(5), nameof(CloseTimeout));
    public TimeSpan EffectiveReconnectBaseDelay { get; } = Positive(ReconnectBaseDelay ?? TimeSpan.FromMilliseconds(500), nameof(ReconnectBaseDelay));
    public TimeSpan EffectiveReconnectMaxDelay { get; } = Positive(ReconnectMaxDelay ?? TimeSpan.FromSeconds(30), nameof(ReconnectMaxDelay));
    public TimeSpan EffectiveConnectionAttemptWindow { get; } = Positive(ConnectionAttemptWindow ?? TimeSpan.FromMinutes(5), nameof(ConnectionAttemptWindow));
    public TimeSpan EffectiveConnectTimeout { get; } = Positive(ConnectTimeout ?? TimeSpan.FromSeconds(10), nameof(ConnectTimeout));
    public int ValidatedConnectionAttempts { get; } = ConnectionAttemptsPerWindow > 0
        ? ConnectionAttemptsPerWindow : throw new ArgumentOutOfRangeException(nameof(ConnectionAttemptsPerWindow), ConnectionAttemptsPerWindow, "must be positive.");

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "must be positive.");

    private static TimeSpan PositiveOrInfinite(TimeSpan value, string name) =>
        value == Timeout.InfiniteTimeSpan ? value : Positive(value, name);

    private static TimeSpan Below24h(TimeSpan value) =>
        value > TimeSpan.Zero && value < TimeSpan.FromHours(24) ? value : throw new ArgumentOutOfRangeException(nameof(RotateAfter), value, "rotation must come before Binance's 24 h cut.");
}
