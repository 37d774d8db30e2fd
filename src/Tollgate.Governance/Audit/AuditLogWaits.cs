using System.Diagnostics;

namespace Tollgate.Governance.Audit;

internal static class AuditLogWaits
{
    /// <summary>Longer than a ledger commit takes, retries included, when storage is healthy.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The index of the entry under <paramref name="key"/> once the ledger can show it, or null if it does not within
    /// a few seconds. The ledger refuses a second entry for a key while the first is still being committed, before
    /// <see cref="IAuditLog.Find"/> sees it: whoever lost that race waits here, so that reading again shows what won.
    /// </summary>
    public static async Task<long?> FindSoonAsync(this IAuditLog audit, string key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            if (audit.Find(key) is { } index) return index;
            if (Stopwatch.GetElapsedTime(started) > Patience) return null;
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }
    }
}
