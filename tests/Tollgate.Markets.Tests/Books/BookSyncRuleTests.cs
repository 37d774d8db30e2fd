using Tollgate.Markets.Books;
using Tollgate.Markets.Events;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Tests.Support;

namespace Tollgate.Markets.Tests.Books;

/// <summary>The edge rules of Binance's "How to manage a local order book correctly", one at a time (see Payloads/SOURCE.md).</summary>
public sealed class BookSyncRuleTests
{
    private static readonly DateTimeOffset T = Frames.DefaultTime;

    private static DeltaOutcome Delta(BookSynchronizer sync, long first, long final, long? previous = null, PriceLevel[]? bids = null, PriceLevel[]? asks = null)
        => sync.OnDelta(new BookDelta(sync.Book.Instrument, first, final, sync.Book.Instrument.Market == MarketKind.Futures ? previous ?? first - 1 : null,
            T, T, bids ?? [], asks ?? []));

    private static SnapshotOutcome Snapshot(BookSynchronizer sync, long lastUpdateId, PriceLevel[]? bids = null, PriceLevel[]? asks = null)
        => sync.OnSnapshot(new BookSnapshot(sync.Book.Instrument, lastUpdateId, T, bids ?? [new(100m, 1m)], asks ?? [new(101m, 1m)]));

    private static BookSynchronizer Spot() => new(TestInstruments.SpotBtcUsdt);
    private static BookSynchronizer Futures() => new(TestInstruments.FutBtcUsdt);

    [Fact]
    public void Deltas_before_the_snapshot_are_buffered()
    {
        var sync = Spot();
        Assert.Equal(DeltaOutcome.Buffered, Delta(sync, 90, 95));
        Assert.Equal(DeltaOutcome.Buffered, Delta(sync, 96, 99));
        Assert.Equal(2, sync.Buffered);
        Assert.False(sync.Book.IsSynced);
    }

    [Fact]
    public void Spot_drops_buffered_events_with_u_at_or_below_lastUpdateId()
    {
        var sync = Spot();
        Delta(sync, 90, 95, bids: [new(90m, 9m)]);
        Delta(sync, 96, 100, bids: [new(91m, 9m)]); // u == lastUpdateId: already in the snapshot
        Delta(sync, 101, 104, bids: [new(99m, 2m)]);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 100));
        Assert.Equal(104, sync.Book.LastUpdateId);
        Assert.Equal([new PriceLevel(100m, 1m), new PriceLevel(99m, 2m)], BookImage.Side(sync.Book.Bids));
        Assert.Equal(0, sync.Buffered);
    }

    [Theory]
    [InlineData(101, 101)] // U = u = lastUpdateId + 1
    [InlineData(99, 101)]
    [InlineData(101, 150)]
    [InlineData(50, 200)]
    public void Spot_first_event_straddling_lastUpdateId_plus_one_is_applied(long first, long final)
    {
        var sync = Spot();
        Delta(sync, first, final, asks: [new(101m, 0m), new(102m, 5m)]);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 100));
        Assert.True(sync.Book.IsSynced);
        Assert.Equal(final, sync.Book.LastUpdateId);
        Assert.Equal([new PriceLevel(102m, 5m)], BookImage.Side(sync.Book.Asks));
    }

    [Fact]
    public void Spot_first_event_starting_after_lastUpdateId_plus_one_means_the_snapshot_is_too_old()
    {
        var sync = Spot();
        Delta(sync, 102, 110);
        Assert.Equal(SnapshotOutcome.TooOld, Snapshot(sync, 100));
        Assert.False(sync.Book.IsSynced);
        Assert.Equal(1, sync.Buffered); // kept for the next snapshot
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 105));
        Assert.Equal(110, sync.Book.LastUpdateId);
    }

    [Fact]
    public void Spot_snapshot_newer_than_every_buffered_event_waits_for_a_straddling_one()
    {
        var sync = Spot();
        Delta(sync, 90, 95);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 120));
        Assert.Equal(120, sync.Book.LastUpdateId);
        Assert.Equal(DeltaOutcome.Stale, Delta(sync, 96, 120));
        Assert.Equal(DeltaOutcome.Gap, Delta(sync, 122, 125)); // U > lastUpdateId + 1
        Assert.False(sync.Book.IsSynced);
    }

    [Fact]
    public void Spot_each_event_continues_the_previous_one()
    {
        var sync = Spot();
        Snapshot(sync, 100);
        Assert.Equal(DeltaOutcome.Applied, Delta(sync, 101, 105));
        Assert.Equal(DeltaOutcome.Applied, Delta(sync, 106, 106));
        Assert.Equal(DeltaOutcome.Applied, Delta(sync, 104, 110)); // overlapping U <= u + 1 is a continuation too
        Assert.Equal(110, sync.Book.LastUpdateId);
        Assert.Equal(DeltaOutcome.Gap, Delta(sync, 112, 115));
        Assert.False(sync.Book.IsSynced);
        Assert.True(sync.Book.Bids.IsEmpty && sync.Book.Asks.IsEmpty);
        Assert.Equal(110, sync.LastGapExpected);
        Assert.Equal(1, sync.Buffered); // the event after the gap waits for the next snapshot
    }

    [Fact]
    public void Spot_old_and_duplicate_events_are_stale_and_change_nothing()
    {
        var sync = Spot();
        Snapshot(sync, 100);
        Delta(sync, 101, 105, bids: [new(100m, 3m)]);
        var before = BookImage.Of(sync.Book);
        Assert.Equal(DeltaOutcome.Stale, Delta(sync, 101, 105, bids: [new(100m, 7m)]));
        Assert.Equal(DeltaOutcome.Stale, Delta(sync, 90, 100, bids: [new(100m, 8m)]));
        BookImage.AssertEqual(before, BookImage.Of(sync.Book));
    }

    [Theory]
    [InlineData(100, 100)] // u == lastUpdateId is kept on futures (dropped are u < lastUpdateId)
    [InlineData(95, 100)]
    [InlineData(100, 130)]
    [InlineData(60, 130)]
    public void Futures_first_event_straddling_lastUpdateId_is_applied(long first, long final)
    {
        var sync = Futures();
        Delta(sync, first, final, previous: first - 7, bids: [new(100m, 0m), new(99m, 4m)]);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 100));
        Assert.Equal(final, sync.Book.LastUpdateId);
        Assert.Equal([new PriceLevel(99m, 4m)], BookImage.Side(sync.Book.Bids));
    }

    [Fact]
    public void Futures_drops_buffered_events_with_u_below_lastUpdateId()
    {
        var sync = Futures();
        Delta(sync, 80, 99, previous: 70, bids: [new(50m, 1m)]);
        Delta(sync, 100, 104, previous: 99, bids: [new(99m, 4m)]);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 100));
        Assert.Equal(104, sync.Book.LastUpdateId);
        Assert.Equal([new PriceLevel(100m, 1m), new PriceLevel(99m, 4m)], BookImage.Side(sync.Book.Bids));
    }

    [Fact]
    public void Futures_first_event_starting_after_lastUpdateId_means_the_snapshot_is_too_old()
    {
        var sync = Futures();
        Delta(sync, 101, 110, previous: 99); // U > lastUpdateId, and its pu is not the snapshot's id either
        Assert.Equal(SnapshotOutcome.TooOld, Snapshot(sync, 100));
        Assert.False(sync.Book.IsSynced);
    }

    [Fact]
    public void Futures_first_event_whose_pu_is_lastUpdateId_continues_the_snapshot()
    {
        // Futures update ids are not contiguous: a snapshot taken between two events has the earlier one's u as its id.
        var sync = Futures();
        Delta(sync, 130, 140, previous: 100, asks: [new(101m, 2m)]);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 100));
        Assert.Equal(140, sync.Book.LastUpdateId);
        Assert.Equal([new PriceLevel(101m, 2m)], BookImage.Side(sync.Book.Asks));
    }

    [Fact]
    public void Futures_chain_by_pu_whatever_U_is()
    {
        var sync = Futures();
        Snapshot(sync, 100);
        Assert.Equal(DeltaOutcome.Applied, Delta(sync, 98, 105, previous: 97));
        Assert.Equal(DeltaOutcome.Applied, Delta(sync, 160, 170, previous: 105)); // U jumps; pu chains
        Assert.Equal(170, sync.Book.LastUpdateId);
        Assert.Equal(DeltaOutcome.Stale, Delta(sync, 160, 170, previous: 105)); // duplicate
        Assert.Equal(DeltaOutcome.Gap, Delta(sync, 171, 175, previous: 169)); // U continues, pu does not
        Assert.False(sync.Book.IsSynced);
        Assert.Equal(170, sync.LastGapExpected);
    }

    [Fact]
    public void A_gap_inside_the_buffer_after_the_snapshot_needs_another_snapshot()
    {
        var sync = Spot();
        Delta(sync, 99, 103);
        Delta(sync, 110, 112); // 104..109 missed
        Assert.Equal(SnapshotOutcome.GapAfter, Snapshot(sync, 100));
        Assert.False(sync.Book.IsSynced);
        Assert.Equal(1, sync.Buffered);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 109));
        Assert.Equal(112, sync.Book.LastUpdateId);
    }

    [Fact]
    public void A_snapshot_of_a_synced_book_is_ignored()
    {
        var sync = Spot();
        Snapshot(sync, 100);
        Delta(sync, 101, 101, bids: [new(100m, 5m)]);
        var before = BookImage.Of(sync.Book);
        Assert.Equal(SnapshotOutcome.Ignored, Snapshot(sync, 500, bids: [new(1m, 1m)]));
        BookImage.AssertEqual(before, BookImage.Of(sync.Book));
    }

    [Fact]
    public void Snapshot_replaces_the_book_and_skips_zero_levels()
    {
        var sync = Spot();
        Snapshot(sync, 100, bids: [new(99m, 1m), new(100m, 2m), new(98m, 0m)], asks: [new(102m, 1m), new(101m, 0m), new(103m, 3m)]);
        Assert.Equal([new PriceLevel(100m, 2m), new PriceLevel(99m, 1m)], BookImage.Side(sync.Book.Bids));
        Assert.Equal([new PriceLevel(102m, 1m), new PriceLevel(103m, 3m)], BookImage.Side(sync.Book.Asks));
        Delta(sync, 101, 102);
        Delta(sync, 110, 111); // gap
        Delta(sync, 112, 113);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 111, bids: [new(50m, 1m)], asks: [new(60m, 1m)]));
        Assert.Equal([new PriceLevel(50m, 1m)], BookImage.Side(sync.Book.Bids)); // nothing of the old book left
        Assert.Equal([new PriceLevel(60m, 1m)], BookImage.Side(sync.Book.Asks));
    }

    [Fact]
    public void Levels_are_absolute_zero_removes_and_absent_removals_are_normal()
    {
        var sync = Spot();
        Snapshot(sync, 100, bids: [new(100m, 1m), new(99m, 1m)], asks: [new(101m, 1m)]);
        Assert.Equal(DeltaOutcome.Applied, Delta(sync, 101, 103,
            bids: [new(100m, 4m), new(99m, 0m), new(97m, 0m)], asks: [new(101m, 0m), new(150m, 0m), new(102m, 2m)]));
        Assert.Equal([new PriceLevel(100m, 4m)], BookImage.Side(sync.Book.Bids));
        Assert.Equal([new PriceLevel(102m, 2m)], BookImage.Side(sync.Book.Asks));
    }

    [Fact]
    public void Reset_drops_book_and_buffer()
    {
        var sync = Spot();
        Delta(sync, 1, 5);
        Snapshot(sync, 3);
        Delta(sync, 10, 12);
        sync.Reset();
        Assert.False(sync.Book.IsSynced);
        Assert.Equal(0, sync.Buffered);
        Delta(sync, 20, 25);
        Assert.Equal(SnapshotOutcome.Synced, Snapshot(sync, 21));
    }
}
