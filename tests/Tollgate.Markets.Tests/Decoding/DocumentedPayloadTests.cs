using Tollgate.Markets.Events;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Tests.Support;

namespace Tollgate.Markets.Tests.Decoding;

/// <summary>Each payload of Binance's documentation decodes into exactly the event it describes, every field checked.</summary>
public sealed class DocumentedPayloadTests
{
    private static readonly DateTimeOffset Received = Payloads.ReceivedAt;

    private static T Single<T>(string file, MarketKind market)
    {
        var (fault, events) = Payloads.DecodeStream(market, Payloads.Bytes(file));
        Assert.Equal(FrameFault.None, fault);
        return Assert.IsType<T>(Assert.Single(events.All));
    }

    /// <summary>Equal as a number, and with the digits Binance sent (nothing rounded or renormalized).</summary>
    private static void Exact(decimal expected, string sent, decimal actual)
    {
        Assert.Equal(expected, actual);
        Assert.Equal(sent, actual.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Utc(DateTimeOffset expected, DateTimeOffset actual)
    {
        Assert.Equal(expected, actual);
        Assert.Equal(TimeSpan.Zero, actual.Offset);
    }

    [Fact]
    public void Spot_book_ticker()
    {
        var q = Single<Quote>("spot-bookTicker.json", MarketKind.Spot);
        Assert.Same(TestInstruments.SpotBnbUsdt, q.Instrument);
        Assert.Equal(400900217L, q.UpdateId);
        Exact(25.3519m, "25.35190000", q.BidPrice);
        Exact(31.21m, "31.21000000", q.BidQuantity);
        Exact(25.3652m, "25.36520000", q.AskPrice);
        Exact(40.66m, "40.66000000", q.AskQuantity);
        Assert.Null(q.ExchangeTime); // spot bookTicker carries no event time
        Utc(Received, q.IngestTime);
    }

    [Fact]
    public void Futures_book_ticker()
    {
        var q = Single<Quote>("futures-bookTicker.json", MarketKind.Futures);
        Assert.Same(TestInstruments.FutBnbUsdt, q.Instrument);
        Assert.Equal(400900217L, q.UpdateId);
        Exact(25.3519m, "25.35190000", q.BidPrice);
        Exact(31.21m, "31.21000000", q.BidQuantity);
        Exact(25.3652m, "25.36520000", q.AskPrice);
        Exact(40.66m, "40.66000000", q.AskQuantity);
        // E (event time) 1568014460893, not T (transaction time) 1568014460891.
        Utc(new DateTimeOffset(2019, 9, 9, 7, 34, 20, 893, TimeSpan.Zero), q.ExchangeTime!.Value);
        Utc(Received, q.IngestTime);
    }

    [Fact]
    public void Spot_depth_update()
    {
        var d = Single<RecordedDelta>("spot-depthUpdate.json", MarketKind.Spot);
        Assert.Same(TestInstruments.SpotBnbBtc, d.Instrument);
        Assert.Equal(157L, d.FirstUpdateId);
        Assert.Equal(160L, d.FinalUpdateId);
        Assert.Null(d.PreviousFinalUpdateId);
        Utc(new DateTimeOffset(2022, 12, 31, 19, 43, 2, 136, TimeSpan.Zero), d.ExchangeTime);
        Utc(Received, d.IngestTime);
        var bid = Assert.Single(d.Bids);
        Exact(0.0024m, "0.0024", bid.Price);
        Exact(10m, "10", bid.Quantity);
        var ask = Assert.Single(d.Asks);
        Exact(0.0026m, "0.0026", ask.Price);
        Exact(100m, "100", ask.Quantity);
    }

    [Fact]
    public void Futures_depth_update_carries_pu()
    {
        var d = Single<RecordedDelta>("futures-depthUpdate.json", MarketKind.Futures);
        Assert.Same(TestInstruments.FutBtcUsdt, d.Instrument);
        Assert.Equal(157L, d.FirstUpdateId);
        Assert.Equal(160L, d.FinalUpdateId);
        Assert.Equal(149L, d.PreviousFinalUpdateId);
        Utc(new DateTimeOffset(1970, 1, 2, 10, 17, 36, 789, TimeSpan.Zero), d.ExchangeTime);
        Utc(Received, d.IngestTime);
        Assert.Equal([new PriceLevel(0.0024m, 10m)], d.Bids);
        Assert.Equal([new PriceLevel(0.0026m, 100m)], d.Asks);
    }

    [Fact]
    public void Spot_aggregate_trade()
    {
        var t = Single<Trade>("spot-aggTrade.json", MarketKind.Spot);
        Assert.Same(TestInstruments.SpotBnbBtc, t.Instrument);
        Assert.Equal(12345L, t.AggregateTradeId);
        Assert.Equal(100L, t.FirstTradeId);
        Assert.Equal(105L, t.LastTradeId);
        Exact(0.001m, "0.001", t.Price);
        Exact(100m, "100", t.Quantity);
        Assert.True(t.BuyerIsMaker);
        Utc(new DateTimeOffset(2022, 12, 31, 19, 43, 2, 136, TimeSpan.Zero), t.TradeTime);
        Utc(new DateTimeOffset(2022, 12, 31, 19, 43, 2, 136, TimeSpan.Zero), t.ExchangeTime);
        Utc(Received, t.IngestTime);
    }

    [Fact]
    public void Futures_aggregate_trade()
    {
        var t = Single<Trade>("futures-aggTrade.json", MarketKind.Futures);
        Assert.Same(TestInstruments.FutBtcUsdt, t.Instrument);
        Assert.Equal(5933014L, t.AggregateTradeId);
        Assert.Equal(100L, t.FirstTradeId);
        Assert.Equal(105L, t.LastTradeId);
        Exact(0.001m, "0.001", t.Price);
        Exact(100m, "100", t.Quantity); // q, not the extra nq
        Assert.True(t.BuyerIsMaker);
        Utc(new DateTimeOffset(1970, 1, 2, 10, 17, 36, 785, TimeSpan.Zero), t.TradeTime);
        Utc(new DateTimeOffset(1970, 1, 2, 10, 17, 36, 789, TimeSpan.Zero), t.ExchangeTime);
        Utc(Received, t.IngestTime);
    }

    [Fact]
    public void Futures_mark_price_update()
    {
        var m = Single<MarkPrice>("futures-markPriceUpdate.json", MarketKind.Futures);
        Assert.Same(TestInstruments.FutBtcUsdt, m.Instrument);
        Exact(11794.15m, "11794.15000000", m.Mark);
        Exact(11784.62659091m, "11784.62659091", m.Index);
        Exact(11784.25641265m, "11784.25641265", m.EstimatedSettlePrice);
        Exact(0.00038167m, "0.00038167", m.FundingRate);
        Utc(new DateTimeOffset(2019, 7, 5, 6, 0, 0, TimeSpan.Zero), m.NextFundingTime);
        Utc(new DateTimeOffset(2019, 7, 5, 5, 43, 0, TimeSpan.Zero), m.ExchangeTime);
        Utc(Received, m.IngestTime);
    }

    [Fact]
    public void Mark_price_is_a_futures_stream_only()
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot, Payloads.Bytes("futures-markPriceUpdate.json"));
        Assert.Equal(FrameFault.UnknownStream, fault);
        Assert.Empty(events.All);
    }

    [Theory]
    [InlineData("spot-depth-snapshot.json", MarketKind.Spot, "BNBBTC")]
    [InlineData("futures-depth-snapshot.json", MarketKind.Futures, "BTCUSDT")]
    public void Rest_depth_snapshot(string file, MarketKind market, string symbol)
    {
        var (fault, events) = Payloads.DecodeSnapshot(market, symbol, Payloads.Bytes(file));
        Assert.Equal(FrameFault.None, fault);
        var s = Assert.IsType<RecordedSnapshot>(Assert.Single(events.All));
        Assert.Same(TestInstruments.Table.Find(market, symbol), s.Instrument);
        Assert.Equal(1027024L, s.LastUpdateId);
        Utc(Received, s.IngestTime);
        var bid = Assert.Single(s.Bids);
        Exact(4m, "4.00000000", bid.Price);
        Exact(431m, "431.00000000", bid.Quantity);
        var ask = Assert.Single(s.Asks);
        Exact(4.000002m, "4.00000200", ask.Price);
        Exact(12m, "12.00000000", ask.Quantity);
    }

    [Fact]
    public void Snapshot_symbol_comes_from_the_header_and_may_be_lower_case()
    {
        var (fault, events) = Payloads.DecodeSnapshot(MarketKind.Spot, "bnbbtc", Payloads.Bytes("spot-depth-snapshot.json"));
        Assert.Equal(FrameFault.None, fault);
        Assert.Same(TestInstruments.SpotBnbBtc, Assert.Single(events.Snapshots).Instrument);
    }

    [Fact]
    public void Subscription_acknowledgement_is_control()
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot, Payloads.Bytes("subscribe-ack.json"));
        Assert.Equal(FrameFault.Control, fault);
        Assert.Empty(events.All);
    }
}
