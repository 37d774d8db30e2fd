using Tollgate.Markets.Quality;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Ingest;

/// <summary>Gap reports, snapshot requests, resyncs and the continuous-gap alert (3 gaps in 5 minutes).</summary>
public sealed class ContinuousGapAlertTests
{
    private long last;

    private Rig Synced()
    {
        var rig = new Rig();
        rig.SyncBook(SpotBtcUsdt, 100, L((100m, 1m)), L((101m, 1m)));
        last = 101;
        return rig;
    }

    /// <summary>A delta that skips an update, then a snapshot and a delta that resync the book.</summary>
    private void GapAndResync(Rig rig, bool resync = true)
    {
        rig.Stream(SpotBtcUsdt, DepthUpdate(SpotBtcUsdt, last + 2, last + 3, null, None, None));
        Assert.False(rig.Pipeline(SpotBtcUsdt).Book.IsSynced);
        last += 3;
        if (!resync) return;
        rig.Now = rig.Now.AddSeconds(1);
        rig.Snapshot(SpotBtcUsdt, Snapshot(last - 1, L((100m, 1m)), L((101m, 1m))));
        Assert.True(rig.Pipeline(SpotBtcUsdt).Book.IsSynced);
    }

    [Fact]
    public void A_gap_is_reported_asks_for_a_snapshot_and_a_resync_is_reported()
    {
        var rig = Synced();
        GapAndResync(rig);
        Assert.Equal([DataQualityKind.Gap, DataQualityKind.Resynced], rig.Quality.Events.Select(e => e.Kind));
        Assert.Equal(("SPOT:BTCUSDT", "MKT-BOOK-GAP"), Assert.Single(rig.Snapshots.Requests));
        Assert.Equal("MKT-BOOK-GAP", rig.Quality.Events[0].Code);
        Assert.Contains("continuing from 101", rig.Quality.Events[0].Detail);
        Assert.Equal(1, rig.Pipeline(SpotBtcUsdt).Quality.Gaps);
        Assert.Equal(1, rig.Pipeline(SpotBtcUsdt).Quality.Resyncs);
    }

    [Fact]
    public void A_stale_snapshot_is_reported_and_another_is_asked_for()
    {
        var rig = Synced();
        GapAndResync(rig, resync: false);
        rig.Snapshot(SpotBtcUsdt, Snapshot(50, L((100m, 1m)), L((101m, 1m))));
        Assert.Equal(DataQualityKind.SnapshotStale, rig.Quality.Events[^1].Kind);
        Assert.Equal(("SPOT:BTCUSDT", "MKT-SNAPSHOT-STALE"), rig.Snapshots.Requests[^1]);
        Assert.Equal(1, rig.Pipeline(SpotBtcUsdt).Quality.StaleSnapshots);
    }

    [Fact]
    public void Three_gaps_in_five_minutes_raise_the_alert_and_it_clears_once_synced_and_quiet()
    {
        var rig = Synced();
        GapAndResync(rig);
        rig.Now = rig.Now.AddMinutes(2);
        GapAndResync(rig);
        Assert.Equal(0, rig.Quality.Count(DataQualityKind.ContinuousGap));
        rig.Now = rig.Now.AddMinutes(2);
        GapAndResync(rig, resync: false); // the third within 5 minutes of the first
        Assert.Equal(1, rig.Quality.Count(DataQualityKind.ContinuousGap));
        Assert.True(rig.Pipeline(SpotBtcUsdt).Quality.ContinuousGapAlert);
        Assert.Equal("MKT-CONTINUOUS-GAP", rig.Quality.Events.Single(e => e.Kind == DataQualityKind.ContinuousGap).Code);

        rig.Now = rig.Now.AddMinutes(6); // the burst ages out, but the book is still out of sync: the alert stays
        rig.Stream(SpotBtcUsdt, DepthUpdate(SpotBtcUsdt, last + 1, last + 1, null, None, None));
        last += 1;
        Assert.True(rig.Pipeline(SpotBtcUsdt).Quality.ContinuousGapAlert);
        Assert.Equal(0, rig.Quality.Count(DataQualityKind.ContinuousGapCleared));

        rig.Snapshot(SpotBtcUsdt, Snapshot(last - 1, L((100m, 1m)), L((101m, 1m))));
        Assert.True(rig.Pipeline(SpotBtcUsdt).Book.IsSynced);
        Assert.False(rig.Pipeline(SpotBtcUsdt).Quality.ContinuousGapAlert);
        Assert.Equal(1, rig.Quality.Count(DataQualityKind.ContinuousGapCleared));
        Assert.Equal(1, rig.Quality.Count(DataQualityKind.ContinuousGap)); // raised once, not once per event
    }

    [Fact]
    public void Three_gaps_spread_over_more_than_five_minutes_raise_nothing()
    {
        var rig = Synced();
        GapAndResync(rig);
        rig.Now = rig.Now.AddMinutes(3);
        GapAndResync(rig);
        rig.Now = rig.Now.AddMinutes(3);
        GapAndResync(rig);
        Assert.Equal(3, rig.Pipeline(SpotBtcUsdt).Quality.Gaps);
        Assert.Equal(0, rig.Quality.Count(DataQualityKind.ContinuousGap));
    }

    [Fact]
    public void A_book_out_of_sync_for_more_than_30_seconds_raises_the_alert_and_a_resync_clears_it()
    {
        var rig = new Rig();
        for (var s = 0; s <= 31; s += 1)
        {
            rig.Now = DefaultTime.AddSeconds(s);
            rig.Stream(SpotBtcUsdt, DepthUpdate(SpotBtcUsdt, 10 + s, 10 + s, null, None, None));
        }
        Assert.Equal(1, rig.Quality.Count(DataQualityKind.ContinuousGap));
        rig.Snapshot(SpotBtcUsdt, Snapshot(35, L((100m, 1m)), L((101m, 1m))));
        Assert.True(rig.Pipeline(SpotBtcUsdt).Book.IsSynced);
        Assert.Equal(1, rig.Quality.Count(DataQualityKind.ContinuousGapCleared));
        Assert.Null(rig.Pipeline(SpotBtcUsdt).Quality.UnsyncedSince);
    }
}
