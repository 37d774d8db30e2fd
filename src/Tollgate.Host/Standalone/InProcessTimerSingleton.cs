using System.Collections.Concurrent;

namespace Tollgate.Host.Standalone;

/// <summary>The in-memory backend's timer singleton: one process, so a process-local lock and record.</summary>
public sealed class InProcessTimerSingleton(TimeSpan? maxWait = null) : ITimerSingleton
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeSpan _maxWait = maxWait ?? TimeSpan.FromSeconds(20);

    public async Task<IAsyncDisposable?> TryClaimAsync(string functionName, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(functionName, _ => new Slot());
        if (!await slot.Gate.WaitAsync(_maxWait, cancellationToken)) return null;
        if (slot.LastFired >= occurrence)
        {
            slot.Gate.Release();
            return null;
        }
        slot.LastFired = occurrence;
        return new Held(slot.Gate);
    }

    private sealed class Slot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public DateTimeOffset? LastFired;
    }

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
