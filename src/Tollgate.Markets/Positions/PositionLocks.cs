using System.Collections.Concurrent;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Positions;

/// <summary>
/// One lock per instrument (seed 002 A.2 <c>lock:{pos}:{symbol}</c>), so two paths (a fill and a stop, a
/// reconciliation and a close) never act on one position at once. In process; across hosts the instrument's
/// partition owner is the only one acting on it.
/// </summary>
public sealed class PositionLocks
{
    private readonly ConcurrentDictionary<Instrument, SemaphoreSlim> locks = new(ReferenceEqualityComparer.Instance);

    /// <summary>Waits for the instrument's lock; dispose the result to release it.</summary>
    public async ValueTask<IDisposable> AcquireAsync(Instrument instrument, CancellationToken cancellationToken)
    {
        var gate = locks.GetOrAdd(instrument, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }
}
