using Tollgate.Markets.Events;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Tests.Support;

namespace Tollgate.Markets.Tests.Decoding;

/// <summary>The combined-stream envelope: field order, extra fields, control and error messages.</summary>
public sealed class EnvelopeTests
{
    private const string SpotTickerData = """{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}""";

    [Fact]
    public void Data_before_stream_decodes_the_same_event()
    {
        var streamFirst = Payloads.DecodeStream(MarketKind.Spot, $$"""{"stream":"bnbusdt@bookTicker","data":{{SpotTickerData}}}""");
        var dataFirst = Payloads.DecodeStream(MarketKind.Spot, $$"""{"data":{{SpotTickerData}},"stream":"bnbusdt@bookTicker"}""");
        Assert.Equal(FrameFault.None, dataFirst.Fault);
        Assert.Equal(Assert.Single(streamFirst.Events.Quotes), Assert.Single(dataFirst.Events.Quotes));
    }

    [Fact]
    public void Data_before_stream_for_a_depth_update_keeps_its_levels()
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Futures,
            """{"data":{"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["0.0024","10"],["0.0023","0"]],"a":[["0.0026","100"]]},"stream":"btcusdt@depth@100ms"}""");
        Assert.Equal(FrameFault.None, fault);
        var d = Assert.Single(events.Deltas);
        Assert.Equal([new PriceLevel(0.0024m, 10m), new PriceLevel(0.0023m, 0m)], d.Bids);
        Assert.Equal([new PriceLevel(0.0026m, 100m)], d.Asks);
        Assert.Equal(149L, d.PreviousFinalUpdateId);
    }

    [Fact]
    public void Unknown_fields_anywhere_are_ignored()
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot,
            """{"x":{"nested":[1,{"a":"b"}]},"stream":"bnbusdt@bookTicker","extra":[1,2,3],"data":{"zz":null,"u":400900217,"s":"BNBUSDT","b":"25.35190000","o":{"p":"1"},"B":"31.21000000","a":"25.36520000","A":"40.66000000","t":true},"y":"z"}""");
        Assert.Equal(FrameFault.None, fault);
        var q = Assert.Single(events.Quotes);
        Assert.Equal(400900217L, q.UpdateId);
        Assert.Equal(25.3652m, q.AskPrice);
    }

    [Fact]
    public void Field_names_are_case_sensitive_as_Binance_spells_them()
    {
        // "b" and "B" are the bid price and the bid quantity: swapping case swaps meaning, it is not a duplicate.
        var (_, events) = Payloads.DecodeStream(MarketKind.Spot,
            """{"stream":"bnbusdt@bookTicker","data":{"u":1,"s":"BNBUSDT","B":"7","b":"25","A":"9","a":"26"}}""");
        var q = Assert.Single(events.Quotes);
        Assert.Equal((25m, 7m, 26m, 9m), (q.BidPrice, q.BidQuantity, q.AskPrice, q.AskQuantity));
    }

    [Fact]
    public void Stream_symbol_may_be_lower_or_upper_case()
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot, $$"""{"stream":"BNBUSDT@bookTicker","data":{{SpotTickerData}}}""");
        Assert.Equal(FrameFault.None, fault);
        Assert.Same(TestInstruments.SpotBnbUsdt, Assert.Single(events.Quotes).Instrument);
    }

    [Theory]
    [InlineData("depth")]
    [InlineData("depth@100ms")]
    [InlineData("depth@250ms")]
    [InlineData("depth@500ms")]
    public void Every_diff_depth_speed_is_a_depth_stream(string stream)
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot,
            $$$"""{"stream":"bnbbtc@{{{stream}}}","data":{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[],"a":[]}}""");
        Assert.Equal(FrameFault.None, fault);
        Assert.Single(events.Deltas);
    }

    [Theory]
    [InlineData("""{"result":null,"id":1}""")]
    [InlineData("""{"id":312,"result":null}""")]
    [InlineData("""{"result":["btcusdt@aggTrade"],"id":3}""")]
    [InlineData("""{"result":true,"id":2}""")]
    public void Replies_to_requests_are_control_frames(string body)
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot, body);
        Assert.Equal(FrameFault.Control, fault);
        Assert.Empty(events.All);
    }

    [Theory]
    // The error messages the spot Web Socket Streams page documents, and a REST error body on the stream path.
    [InlineData("""{"code": 0, "msg": "Unknown property","id": 1}""")]
    [InlineData("""{"code": 1, "msg": "Invalid value type: expected Boolean"}""")]
    [InlineData("""{"code": 2, "msg": "Invalid request: request ID must be an unsigned integer"}""")]
    [InlineData("""{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}""")]
    [InlineData("""{"id":1,"error":{"code":2,"msg":"Invalid request"}}""")]
    [InlineData("""{"code":-1121,"msg":"Invalid symbol."}""")]
    public void Exchange_errors_on_the_stream_are_exchange_errors(string body)
    {
        var (fault, events) = Payloads.DecodeStream(MarketKind.Spot, body);
        Assert.Equal(FrameFault.ExchangeError, fault);
        Assert.Empty(events.All);
    }

    [Theory]
    [InlineData("""{"code":-1121,"msg":"Invalid symbol."}""")]
    [InlineData("""{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}""")]
    public void Exchange_errors_in_place_of_a_snapshot_are_exchange_errors(string body)
    {
        var (fault, events) = Payloads.DecodeSnapshot(MarketKind.Spot, "BNBBTC", System.Text.Encoding.UTF8.GetBytes(body));
        Assert.Equal(FrameFault.ExchangeError, fault);
        Assert.Empty(events.All);
    }
}
