namespace Tollgate.Host.Standalone;

/// <summary>
/// Makes each timer occurrence fire once across every host on a task hub: a lock per function plus
/// a record of the last occurrence fired, checked and written under the lock.
/// </summary>
public interface ITimerSingleton
{
    /// <summary>
    /// Takes the function's lock and, when <paramref name="occurrence"/> is later than the last one
    /// recorded, records it and returns the held lock (dispose to release it after the run).
    /// Returns null when the occurrence was already fired, or the lock stayed taken too long.
    /// </summary>
    Task<IAsyncDisposable?> TryClaimAsync(string functionName, DateTimeOffset occurrence, CancellationToken cancellationToken);
}
