using Tollgate.Markets.Features;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Features;

/// <summary>Mid, spread, spread in bps, microprice and top-N imbalance against values worked out by hand.</summary>
public sealed class FeatureValueTests
{
    private static readonly FeatureConfig TwoLevels = new(imbalanceLevels: 2);

    [Fact]
    public void A_synced_book_gives_its_top_of_book_features()
    {
        var rig = new Rig(TwoLevels);
        rig.SyncBook(SpotBtcUsdt, 100, L((100m, 2m), (99m, 3m), (98m, 5m)), L((101m, 1m), (102m, 2m), (103m, 6m)));
        var e = rig.Features.Events[^1];
        Assert.Equal(FeatureTrigger.Book, e.Trigger);
        Assert.Equal(101L, e.UpdateId);
        Assert.Null(e.ExchangeTime); // a snapshot carries no exchange time
        Assert.Equal(rig.Now, e.IngestTime);
        Assert.Equal((100m, 2m, 101m, 1m), (e.BidPrice, e.BidQuantity, e.AskPrice, e.AskQuantity));
        Assert.Equal(100.5m, e.Mid);
        Assert.Equal(1m, e.Spread);
        Assert.Equal(99.5025m, e.SpreadBps); // 1 / 100.5 * 10^4 = 99.50248756...
        Assert.Equal(100.6666666667m, e.Microprice); // (100*1 + 101*2) / 3
        Assert.Equal(0.25m, e.Imbalance); // top 2: bids 2+3=5, asks 1+2=3 -> (5-3)/8
        Assert.Same(SpotBtcUsdt, e.Instrument);
        Assert.Equal(TwoLevels.Rev, e.ConfigRev);
        Assert.Null(e.Atr);
        Assert.Null(e.RealizedVolatility);
    }

    [Fact]
    public void A_delta_moves_the_features_with_the_book()
    {
        var rig = new Rig(TwoLevels);
        rig.SyncBook(SpotBtcUsdt, 100, L((100m, 2m), (99m, 3m), (98m, 5m)), L((101m, 1m), (102m, 2m), (103m, 6m)));
        var at = DefaultTime.AddSeconds(3);
        rig.Stream(SpotBtcUsdt, DepthUpdate(SpotBtcUsdt, 102, 104, null, L((100.5m, 1m), (99m, 0m)), L((101m, 3m), (102m, 0m)), at));
        var e = rig.Features.Events[^1];
        Assert.Equal(FeatureTrigger.Book, e.Trigger);
        Assert.Equal(104L, e.UpdateId);
        Assert.Equal(at, e.ExchangeTime);
        Assert.Equal((100.5m, 1m, 101m, 3m), (e.BidPrice, e.BidQuantity, e.AskPrice, e.AskQuantity));
        Assert.Equal(100.75m, e.Mid);
        Assert.Equal(0.5m, e.Spread);
        Assert.Equal(49.6278m, e.SpreadBps); // 0.5 / 100.75 * 10^4 = 49.62779...
        Assert.Equal(100.625m, e.Microprice); // (100.5*3 + 101*1) / 4
        Assert.Equal(-0.5m, e.Imbalance); // top 2: bids 100.5x1 + 100x2 = 3, asks 101x3 + 103x6 = 9 -> (3-9)/12
    }

    [Fact]
    public void Without_a_synced_book_quotes_drive_the_features_and_there_is_no_imbalance()
    {
        var rig = new Rig(TwoLevels);
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 10, 25.3519m, 31.21m, 25.3652m, 40.66m));
        var e = Assert.Single(rig.Features.Events);
        Assert.Equal(FeatureTrigger.Quote, e.Trigger);
        Assert.Equal(10L, e.UpdateId);
        Assert.Null(e.ExchangeTime);
        Assert.Equal(25.35855m, e.Mid);
        Assert.Equal(0.0133m, e.Spread);
        Assert.Equal(5.2448m, e.SpreadBps); // 0.0133 / 25.35855 * 10^4 = 5.24478...
        Assert.Equal(25.3576756087m, e.Microprice); // (25.3519*40.66 + 25.3652*31.21) / 71.87 = 25.357675608738...
        Assert.Null(e.Imbalance);
    }

    [Fact]
    public void A_quote_older_than_the_last_is_stale_and_emits_nothing()
    {
        var rig = new Rig(TwoLevels);
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 10, 100m, 1m, 101m, 1m));
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 10, 99m, 1m, 101m, 1m));
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 9, 98m, 1m, 101m, 1m));
        Assert.Single(rig.Features.Events);
        Assert.Equal(2, rig.Pipeline(SpotBtcUsdt).Quality.StaleQuotes);
        Assert.Equal(100m, rig.Pipeline(SpotBtcUsdt).LastQuote!.Value.BidPrice);
    }

    [Fact]
    public void A_quote_behind_the_synced_book_says_nothing_new()
    {
        var rig = new Rig(TwoLevels);
        rig.SyncBook(SpotBtcUsdt, 100, L((100m, 2m)), L((101m, 1m)));
        var count = rig.Features.Events.Count;
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 101, 100m, 2m, 101m, 1m));
        Assert.Equal(count, rig.Features.Events.Count);
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 105, 100.2m, 2m, 101m, 1m)); // ahead of the book: the quote is the newer top
        var e = rig.Features.Events[^1];
        Assert.Equal((FeatureTrigger.Quote, 105L, 100.2m), (e.Trigger, e.UpdateId, e.BidPrice));
        Assert.Equal(0.333333m, e.Imbalance); // still the depth book's: bids 2, asks 1 -> (2-1)/3
    }

    [Fact]
    public void An_empty_side_on_a_ticker_is_not_a_fault_but_gives_no_features()
    {
        // Binance prints an empty side as 0; features need both sides.
        var rig = new Rig(TwoLevels);
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 10, 0m, 0m, 101m, 1m));
        Assert.Empty(rig.Features.Events);
        Assert.All(Tollgate.Markets.Ingest.FrameFaults.Failures, f => Assert.Equal(0, rig.Handler.FaultCount(f)));
    }
}
