namespace Tollgate.Durable;

/// <summary>
/// How an orchestrator retries a failed activity or sub-orchestration. Retries are ordinary
/// orchestration steps (a durable timer, then a new call), so they survive restarts and replay.
/// </summary>
public sealed record RetryPolicy
{
    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        if (maxNumberOfAttempts <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxNumberOfAttempts), maxNumberOfAttempts, "Must be at least 1.");
        if (firstRetryInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(firstRetryInterval), firstRetryInterval, "Must be positive.");
        if (backoffCoefficient < 1.0 || double.IsNaN(backoffCoefficient) || double.IsInfinity(backoffCoefficient))
            throw new ArgumentOutOfRangeException(nameof(backoffCoefficient), backoffCoefficient, "Must be a finite number >= 1.");
        if (maxRetryInterval is { } max && max < firstRetryInterval)
            throw new ArgumentOutOfRangeException(nameof(maxRetryInterval), maxRetryInterval, "Must be at least firstRetryInterval.");
        if (retryTimeout is { } timeout && timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(retryTimeout), retryTimeout, "Must be positive or infinite.");

        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Total attempts, the first included.</summary>
    public int MaxNumberOfAttempts { get; }
    public TimeSpan FirstRetryInterval { get; }
    public double BackoffCoefficient { get; }
    public TimeSpan MaxRetryInterval { get; }
    /// <summary>No retry starts later than this after the first attempt started.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Which failures are worth retrying; all when null.</summary>
    public Func<TaskFailureDetails, bool>? Handle { get; init; }

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfterAttempt(int attempt)
    {
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }
}
