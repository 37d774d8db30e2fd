namespace Tollgate.FakeExchange;

/// <summary>
/// The scripted faults of the order endpoints, each a count of the next placements (or queries) it applies to. One
/// lock: tests script them while thousands of requests consume them.
/// </summary>
internal sealed class FakeOrderFaults
{
    private readonly object gate = new();
    private readonly Queue<TimeSpan> rateLimits = new();
    private readonly Queue<(int Code, string Message)> rejects = new();
    private readonly Queue<int> failBefore = new();
    private readonly Queue<AfterAccept> afterAccept = new();
    private readonly Queue<decimal> partials = new();
    private readonly Queue<int> queryFailures = new();

    /// <summary>What happens to an order's answer after the order was placed.</summary>
    public abstract record AfterAccept;
    public sealed record Fail(int Status, int Code) : AfterAccept;
    public sealed record Delay(TimeSpan Wait) : AfterAccept;
    public sealed record Drop : AfterAccept;

    public void RateLimit(int count, TimeSpan retryAfter) => Add(rateLimits, count, retryAfter);
    public void Reject(int count, int code, string message) => Add(rejects, count, (code, message));
    public void FailBefore(int count, int status) => Add(failBefore, count, status);
    public void After(int count, AfterAccept fault) => Add(afterAccept, count, fault);
    public void Partial(int count, decimal fraction) => Add(partials, count, fraction);
    public void FailQueries(int count, int status) => Add(queryFailures, count, status);

    public void Clear()
    {
        lock (gate)
        {
            rateLimits.Clear();
            rejects.Clear();
            failBefore.Clear();
            afterAccept.Clear();
            partials.Clear();
            queryFailures.Clear();
        }
    }

    public TimeSpan? TakeRateLimit() { lock (gate) return rateLimits.TryDequeue(out var v) ? v : null; }
    public (int Code, string Message)? TakeReject() { lock (gate) return rejects.TryDequeue(out var v) ? v : null; }
    public int? TakeFailBefore() { lock (gate) return failBefore.TryDequeue(out var v) ? v : null; }
    public AfterAccept? TakeAfterAccept() { lock (gate) return afterAccept.TryDequeue(out var v) ? v : null; }
    public decimal? TakePartial() { lock (gate) return partials.TryDequeue(out var v) ? v : null; }
    public int? TakeQueryFailure() { lock (gate) return queryFailures.TryDequeue(out var v) ? v : null; }

    private void Add<T>(Queue<T> queue, int count, T value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
            for (var i = 0; i < count; i++) queue.Enqueue(value);
    }
}
