namespace Tollgate.Governance.Tests.Support;

/// <summary>A clock the test moves; optionally it ticks on every read, so racing callers see distinct times.</summary>
internal sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    /// <summary>Added to the clock after every read (zero: the clock stands still until <see cref="Advance"/>).</summary>
    public TimeSpan TickPerRead { get; set; }

    public override DateTimeOffset GetUtcNow()
    {
        var step = TickPerRead.Ticks;
        var now = step == 0 ? Interlocked.Read(ref ticks) : Interlocked.Add(ref ticks, step) - step;
        return new DateTimeOffset(now, TimeSpan.Zero);
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
