namespace Tollgate.Markets.Binance.Streams;

/// <summary>Exponential backoff with full jitter: a uniform draw from [0, min(max, base × 2^(attempt−1))].</summary>
public sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random random = random ?? Random.Shared;
    private readonly object gate = new();

    /// <summary>The ceiling of the draw for <paramref name="attempt"/> (1 = first retry).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ticks = Math.Min((double)maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Next(int attempt)
    {
        double draw;
        lock (gate) draw = random.NextDouble();
        return TimeSpan.FromTicks((long)(Ceiling(attempt).Ticks * draw));
    }
}

/// <summary>A sliding-window limit on connection attempts (Binance spot: 300 per 5 minutes per IP).</summary>
public sealed class ConnectionAttemptLimiter(int maxAttempts, TimeSpan window, TimeProvider clock)
{
    private readonly Queue<DateTimeOffset> attempts = new();
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = clock.GetUtcNow();
                while (attempts.Count > 0 && attempts.Peek() <= now - window) attempts.Dequeue();
                if (attempts.Count < maxAttempts)
                {
                    attempts.Enqueue(now);
                    return;
                }
                await Task.Delay(attempts.Peek() + window - now, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
