using Tollgate.Governance.Environments;

namespace Tollgate.Governance.KillSwitch;

/// <summary>
/// This process's view of every environment's kill switch: what the order path reads on every order (one
/// volatile read, no I/O), and what pushes each change to its observers the moment it is applied. States only
/// move forward: an older state arriving late (a slow poll after a push) is ignored.
/// </summary>
public sealed class KillSwitchBoard
{
    private readonly KillSwitchState[] states = [.. EnvironmentCatalog.All.Select(KillSwitchState.Initial)];
    private readonly List<Action<KillSwitchState>> observers = [];
    private readonly object gate = new();

    /// <summary>Whether new orders are blocked in <paramref name="environment"/>.</summary>
    public bool IsEngaged(DeploymentEnvironment environment) => Volatile.Read(ref states[(int)environment]).Engaged;

    public KillSwitchState Current(DeploymentEnvironment environment) => Volatile.Read(ref states[(int)environment]);

    /// <summary>Takes <paramref name="state"/> if it is newer than what this process has; tells every observer.</summary>
    /// <returns>Whether it was newer.</returns>
    public bool Apply(KillSwitchState state)
    {
        Action<KillSwitchState>[] notify;
        lock (gate)
        {
            var current = states[(int)state.Environment];
            if (!IsNewer(state, current)) return false;
            Volatile.Write(ref states[(int)state.Environment], state);
            notify = [.. observers];
        }
        foreach (var observer in notify) observer(state);
        return true;
    }

    /// <summary>Calls <paramref name="observer"/> on every change from now on, until disposed.</summary>
    public IDisposable Subscribe(Action<KillSwitchState> observer)
    {
        lock (gate) observers.Add(observer);
        return new Subscription(() => { lock (gate) observers.Remove(observer); });
    }

    public int ObserverCount { get { lock (gate) return observers.Count; } }

    /// <summary>
    /// Audited states order by sequence. An emergency engagement (sequence of the record it follows, not audited)
    /// is newer than that record; when it is absorbed into the ledger the audited record that replaces it is newer.
    /// </summary>
    private static bool IsNewer(KillSwitchState candidate, KillSwitchState current) =>
        candidate.Sequence > current.Sequence
        || candidate.Sequence == current.Sequence && candidate.Engaged != current.Engaged && !candidate.Audited && candidate.Engaged;

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? onDispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref onDispose, null)?.Invoke();
    }
}
