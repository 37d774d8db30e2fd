using Tollgate.Markets.Books;
using Tollgate.Markets.Events;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Books;

/// <summary>The buffer a book fills while it waits for its snapshot.</summary>
public sealed class PendingDeltasTests
{
    [Fact]
    public void A_book_that_never_gets_a_snapshot_keeps_the_newest_deltas_and_only_their_levels()
    {
        var pending = new PendingDeltas();
        var levels = new[] { new PriceLevel(100m, 1m), new PriceLevel(99m, 2m), new PriceLevel(98m, 3m) };
        var total = PendingDeltas.Capacity * 5;
        for (long u = 1; u <= total; u++)
            pending.Add(new BookDelta(SpotBtcUsdt, u, u, null, default, default, levels, levels[..1]));

        Assert.Equal(PendingDeltas.Capacity, pending.Count);
        Assert.Equal(total - PendingDeltas.Capacity, pending.Overflowed);
        Assert.Equal(total - PendingDeltas.Capacity + 1, pending[0].First);
        Assert.Equal(total, pending[pending.Count - 1].Final);
        Assert.True(pending.LevelStorage <= 2 * 4 * PendingDeltas.Capacity + 256,
            $"{pending.LevelStorage} levels held for {pending.Count} deltas of 4 levels each");
        var last = pending[pending.Count - 1];
        Assert.Equal(levels, pending.Bids(last).ToArray());
        Assert.Equal(levels[..1], pending.Asks(last).ToArray());
        var first = pending[0];
        Assert.Equal(levels, pending.Bids(first).ToArray());
    }
}
