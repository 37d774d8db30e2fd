using System.Text;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Ingest;

/// <summary>
/// Bad frames through <see cref="MarketIngestHandler.Handle"/>: each is counted once under its fault and dropped; no
/// exception, and nothing in the rig changes (the synced books, the unsynced one's buffer, last events, features).
/// </summary>
public sealed class BadInputTests
{
    private static readonly DateTimeOffset T0 = DefaultTime;

    // Valid frames that would each change the rig; the cases below break them one way at a time.
    private static readonly string SpotDepth = DepthUpdate(SpotBtcUsdt, 102, 103, null, L((100.5m, 2m), (100m, 0m)), L((101.5m, 3m)), T0.AddSeconds(1));
    private static readonly string FutDepth = DepthUpdate(FutBtcUsdt, 102, 103, 101, L((100.5m, 2m)), L((101.5m, 3m)), T0.AddSeconds(1));
    private static readonly string SpotTicker = BookTicker(SpotBtcUsdt, 500, 100.6m, 1m, 101.4m, 2m);
    private static readonly string FutTicker = BookTicker(FutBtcUsdt, 500, 100.6m, 1m, 101.4m, 2m, T0.AddSeconds(1));
    private static readonly string SpotTrade = AggTrade(SpotBtcUsdt, 77, 100.7m, 0.5m, 700, 702, T0.AddSeconds(1));
    private static readonly string FutMark = MarkPrice(FutBtcUsdt, 100.8m, 100.75m, 100.7m, 0.0001m, T0.AddHours(4), T0.AddSeconds(1));
    private static readonly string EthSnapshot = Snapshot(55, L((3000m, 1m)), L((3001m, 1m)));

    /// <summary>SPOT:BTCUSDT and FUT:BTCUSDT synced at 101 with a quote, trade and mark each; SPOT:ETHUSDT waiting for its snapshot.</summary>
    private static Rig Prepared()
    {
        var rig = new Rig();
        rig.SyncBook(SpotBtcUsdt, 100, L((100m, 1m), (99m, 2m)), L((101m, 1m), (102m, 2m)));
        rig.SyncBook(FutBtcUsdt, 100, L((100m, 1m), (99m, 2m)), L((101m, 1m), (102m, 2m)));
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 90, 100m, 1m, 101m, 1m));
        rig.Stream(FutBtcUsdt, BookTicker(FutBtcUsdt, 90, 100m, 1m, 101m, 1m, T0));
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 76, 100.5m, 0.1m, 699, 699, T0));
        rig.Stream(FutBtcUsdt, MarkPrice(FutBtcUsdt, 100.5m, 100.4m, 100.3m, 0.0001m, T0.AddHours(4), T0));
        rig.Stream(SpotEthUsdt, DepthUpdate(SpotEthUsdt, 50, 60, null, L((3000m, 2m)), None));
        Assert.False(rig.Pipeline(SpotEthUsdt).Book.IsSynced);
        return rig;
    }

    private static string Mutate(string frame, string from, string to)
    {
        Assert.Contains(from, frame);
        return frame.Replace(from, to);
    }

    public static TheoryData<string, MarketKind, bool, string, FrameFault> Cases()
    {
        var d = new TheoryData<string, MarketKind, bool, string, FrameFault>();
        void Spot(string name, string body, FrameFault f) => d.Add(name, MarketKind.Spot, false, body, f);
        void Fut(string name, string body, FrameFault f) => d.Add(name, MarketKind.Futures, false, body, f);
        void Snap(string name, string body, FrameFault f) => d.Add(name, MarketKind.Spot, true, body, f);

        // Wrong JSON types.
        Spot("U as string", Mutate(SpotDepth, "\"U\":102", "\"U\":\"102\""), FrameFault.Schema);
        Spot("u as string", Mutate(SpotDepth, "\"u\":103", "\"u\":\"103\""), FrameFault.Schema);
        Spot("E as string", Mutate(SpotDepth, $"\"E\":{Ms(T0.AddSeconds(1))}", $"\"E\":\"{Ms(T0.AddSeconds(1))}\""), FrameFault.Schema);
        Spot("s as number", Mutate(SpotDepth, "\"s\":\"BTCUSDT\"", "\"s\":1"), FrameFault.Schema);
        Spot("e as number", Mutate(SpotDepth, "\"e\":\"depthUpdate\"", "\"e\":1"), FrameFault.Schema);
        Spot("level price as number", Mutate(SpotDepth, "[\"100.5\",\"2\"]", "[100.5,\"2\"]"), FrameFault.Schema);
        Spot("level qty as number", Mutate(SpotDepth, "[\"100.5\",\"2\"]", "[\"100.5\",2]"), FrameFault.Schema);
        Spot("level of three", Mutate(SpotDepth, "[\"100.5\",\"2\"]", "[\"100.5\",\"2\",\"3\"]"), FrameFault.Schema);
        Spot("level of one", Mutate(SpotDepth, "[\"100.5\",\"2\"]", "[\"100.5\"]"), FrameFault.Schema);
        Spot("level as object", Mutate(SpotDepth, "[\"100.5\",\"2\"]", "{\"p\":\"100.5\",\"q\":\"2\"}"), FrameFault.Schema);
        Spot("bids as string", Mutate(SpotDepth, "\"b\":[[\"100.5\",\"2\"],[\"100\",\"0\"]]", "\"b\":\"100.5\""), FrameFault.Schema);
        Spot("stream as number", Mutate(SpotDepth, "\"stream\":\"btcusdt@depth@100ms\"", "\"stream\":7"), FrameFault.Schema);
        Spot("data as array", "{\"stream\":\"btcusdt@depth@100ms\",\"data\":[1,2]}", FrameFault.Schema);
        Spot("data as string", "{\"stream\":\"btcusdt@depth@100ms\",\"data\":\"x\"}", FrameFault.Schema);
        Spot("data missing", "{\"stream\":\"btcusdt@depth@100ms\"}", FrameFault.Schema);
        Spot("ticker bid as number", Mutate(SpotTicker, "\"b\":\"100.6\"", "\"b\":100.6"), FrameFault.Schema);
        Spot("ticker id as string", Mutate(SpotTicker, "\"u\":500", "\"u\":\"500\""), FrameFault.Schema);
        Spot("trade maker as string", Mutate(SpotTrade, "\"m\":false", "\"m\":\"false\""), FrameFault.Schema);
        Spot("trade id as string", Mutate(SpotTrade, "\"a\":77", "\"a\":\"77\""), FrameFault.Schema);
        Fut("mark price as number", Mutate(FutMark, "\"p\":\"100.8\"", "\"p\":100.8"), FrameFault.Schema);
        Fut("funding time as string", Mutate(FutMark, $"\"T\":{Ms(T0.AddHours(4))}", $"\"T\":\"{Ms(T0.AddHours(4))}\""), FrameFault.Schema);

        // Required fields missing.
        Spot("depth without u", Mutate(SpotDepth, "\"u\":103,", ""), FrameFault.Schema);
        Spot("depth without E", Mutate(SpotDepth, $"\"E\":{Ms(T0.AddSeconds(1))},", ""), FrameFault.Schema);
        Spot("depth without s", Mutate(SpotDepth, "\"s\":\"BTCUSDT\",", ""), FrameFault.Schema);
        Fut("futures depth without pu", Mutate(FutDepth, "\"pu\":101,", ""), FrameFault.Schema);
        Spot("ticker without A", Mutate(SpotTicker, ",\"A\":\"2\"", ""), FrameFault.Schema);
        Spot("trade without T", Mutate(SpotTrade, $"\"T\":{Ms(T0.AddSeconds(1))},", ""), FrameFault.Schema);

        // Unknown streams and event types.
        Spot("trade stream", Mutate(SpotTrade, "btcusdt@aggTrade", "btcusdt@trade"), FrameFault.UnknownStream);
        Spot("kline stream", Mutate(SpotDepth, "btcusdt@depth@100ms", "btcusdt@kline_1m"), FrameFault.UnknownStream);
        Spot("partial depth stream", Mutate(SpotDepth, "btcusdt@depth@100ms", "btcusdt@depth20@100ms"), FrameFault.UnknownStream);
        Spot("all-market stream", Mutate(SpotTicker, "btcusdt@bookTicker", "!bookTicker"), FrameFault.UnknownStream);
        Spot("stream without symbol", Mutate(SpotTicker, "btcusdt@bookTicker", "@bookTicker"), FrameFault.UnknownStream);
        Spot("mark price on spot", FutMark, FrameFault.UnknownStream);
        Spot("depth event type renamed", Mutate(SpotDepth, "\"depthUpdate\"", "\"depthUpdate2\""), FrameFault.UnknownStream);
        Spot("aggTrade carrying a trade event", Mutate(SpotTrade, "\"e\":\"aggTrade\"", "\"e\":\"trade\""), FrameFault.UnknownStream);

        // Symbols.
        Spot("unknown symbol", Mutate(Mutate(SpotDepth, "btcusdt@", "xrpusdt@"), "\"BTCUSDT\"", "\"XRPUSDT\""), FrameFault.UnknownSymbol);
        Fut("symbol not listed on futures", Mutate(Mutate(FutDepth, "btcusdt@", "ethusdt@"), "\"BTCUSDT\"", "\"ETHUSDT\""), FrameFault.UnknownSymbol);
        Spot("symbol of 21 letters", Mutate(Mutate(SpotTicker, "btcusdt@", "abcdefghijklmnopqrstu@"), "\"BTCUSDT\"", "\"ABCDEFGHIJKLMNOPQRSTU\""), FrameFault.UnknownSymbol);
        Spot("data symbol is not the stream's", Mutate(SpotDepth, "\"s\":\"BTCUSDT\"", "\"s\":\"ETHUSDT\""), FrameFault.Schema);
        Spot("ticker symbol is not the stream's", Mutate(SpotTicker, "\"s\":\"BTCUSDT\"", "\"s\":\"ETHUSDT\""), FrameFault.Schema);
        Snap("snapshot of an unknown symbol", "XRPUSDT|" + EthSnapshot, FrameFault.UnknownSymbol);

        // Numbers that do not fit or are not plain decimals.
        Spot("u of 30 digits", Mutate(SpotDepth, "\"u\":103", "\"u\":123456789012345678901234567890"), FrameFault.Number);
        Spot("u beyond long", Mutate(SpotDepth, "\"u\":103", "\"u\":9223372036854775808"), FrameFault.Number);
        Spot("U fractional", Mutate(SpotDepth, "\"U\":102", "\"U\":102.5"), FrameFault.Number);
        Spot("u with exponent", Mutate(SpotDepth, "\"u\":103", "\"u\":1.03e2"), FrameFault.Number);
        Spot("event time beyond year 9999", Mutate(SpotDepth, $"\"E\":{Ms(T0.AddSeconds(1))}", "\"E\":253402300800000"), FrameFault.Number);
        Spot("price of 30 digits", Mutate(SpotDepth, "\"100.5\"", "\"123456789012345678901234567890\""), FrameFault.Number);
        Spot("qty of 30 digits", Mutate(SpotDepth, "\"101.5\",\"3\"", "\"101.5\",\"1.23456789012345678901234567890\""), FrameFault.Number);
        Spot("trade id beyond long", Mutate(SpotTrade, "\"a\":77", "\"a\":99999999999999999999"), FrameFault.Number);
        foreach (var bad in new[] { "NaN", "Infinity", "-Infinity", "1e5", "", "-", ".", "+1", "1.", ".5", " 1", "0x1" })
        {
            Spot($"level price '{bad}'", Mutate(SpotDepth, "\"100.5\"", $"\"{bad}\""), FrameFault.Number);
            Spot($"level qty '{bad}'", Mutate(SpotDepth, "\"101.5\",\"3\"", $"\"101.5\",\"{bad}\""), FrameFault.Number);
            Spot($"ticker ask '{bad}'", Mutate(SpotTicker, "\"a\":\"101.4\"", $"\"a\":\"{bad}\""), FrameFault.Number);
            Spot($"trade price '{bad}'", Mutate(SpotTrade, "\"p\":\"100.7\"", $"\"p\":\"{bad}\""), FrameFault.Number);
            Fut($"funding rate '{bad}'", Mutate(FutMark, "\"r\":\"0.0001\"", $"\"r\":\"{bad}\""), FrameFault.Number);
        }
        Snap("snapshot id beyond long", "ETHUSDT|" + Mutate(EthSnapshot, "\"lastUpdateId\":55", "\"lastUpdateId\":92233720368547758070"), FrameFault.Number);
        Snap("snapshot price NaN", "ETHUSDT|" + Mutate(EthSnapshot, "\"3000\"", "\"NaN\""), FrameFault.Number);

        // Values out of their domain.
        Spot("negative level qty", Mutate(SpotDepth, "\"101.5\",\"3\"", "\"101.5\",\"-3\""), FrameFault.Value);
        Spot("level price 0", Mutate(SpotDepth, "\"100.5\"", "\"0\""), FrameFault.Value);
        Spot("level price 0.00000000", Mutate(SpotDepth, "\"100.5\"", "\"0.00000000\""), FrameFault.Value);
        Spot("negative level price", Mutate(SpotDepth, "\"100.5\"", "\"-100.5\""), FrameFault.Value);
        Spot("u below U", Mutate(SpotDepth, "\"U\":102,\"u\":103", "\"U\":104,\"u\":103"), FrameFault.Value);
        Spot("negative U", Mutate(SpotDepth, "\"U\":102", "\"U\":-1"), FrameFault.Value);
        Spot("negative ticker qty", Mutate(SpotTicker, "\"B\":\"1\"", "\"B\":\"-1\""), FrameFault.Value);
        Spot("negative ticker price", Mutate(SpotTicker, "\"b\":\"100.6\"", "\"b\":\"-100.6\""), FrameFault.Value);
        Spot("negative ticker id", Mutate(SpotTicker, "\"u\":500", "\"u\":-500"), FrameFault.Value);
        Spot("trade price 0", Mutate(SpotTrade, "\"p\":\"100.7\"", "\"p\":\"0\""), FrameFault.Value);
        Spot("negative trade qty", Mutate(SpotTrade, "\"q\":\"0.5\"", "\"q\":\"-0.5\""), FrameFault.Value);
        Spot("trade qty 0", Mutate(SpotTrade, "\"q\":\"0.5\"", "\"q\":\"0\""), FrameFault.Value);
        Spot("last trade id before first", Mutate(SpotTrade, "\"l\":702", "\"l\":699"), FrameFault.Value);
        Fut("mark price 0", Mutate(FutMark, "\"p\":\"100.8\"", "\"p\":\"0\""), FrameFault.Value);
        Fut("negative index price", Mutate(FutMark, "\"i\":\"100.75\"", "\"i\":\"-1\""), FrameFault.Value);
        Fut("negative futures level qty", Mutate(FutDepth, "\"101.5\",\"3\"", "\"101.5\",\"-3\""), FrameFault.Value);
        Snap("snapshot price 0", "ETHUSDT|" + Mutate(EthSnapshot, "\"3000\"", "\"0\""), FrameFault.Value);
        Snap("snapshot negative qty", "ETHUSDT|" + Mutate(EthSnapshot, "[\"3001\",\"1\"]", "[\"3001\",\"-1\"]"), FrameFault.Value);
        Snap("snapshot negative id", "ETHUSDT|" + Mutate(EthSnapshot, "\"lastUpdateId\":55", "\"lastUpdateId\":-55"), FrameFault.Value);

        // Exchange errors.
        Spot("ws error", """{"code": 2, "msg": "Invalid request: request ID must be an unsigned integer"}""", FrameFault.ExchangeError);
        Spot("ws error object", """{"error":{"code":2,"msg":"Invalid request"},"id":5}""", FrameFault.ExchangeError);
        Snap("snapshot error", "ETHUSDT|" + """{"code":-1121,"msg":"Invalid symbol."}""", FrameFault.ExchangeError);
        Snap("snapshot rate limited", "ETHUSDT|" + """{"code":-1003,"msg":"Too many requests; current limit of IP is 6000 requests per minute."}""", FrameFault.ExchangeError);

        // Not JSON, or not one JSON object.
        foreach (var (name, body) in new[] { ("empty", ""), ("text", "hello"), ("html", "<html><body>502 Bad Gateway</body></html>"),
            ("open brace", "{"), ("close brace", "}"), ("array", "[]"), ("null", "null"), ("number", "123"), ("string", "\"x\""),
            ("single quotes", "{'stream':'btcusdt@bookTicker'}"), ("comment", "// {}"), ("NUL bytes", "\0\0\0\0") })
            Spot($"garbage: {name}", body, FrameFault.Malformed);
        Spot("trailing garbage", SpotDepth + "x", FrameFault.Malformed);
        Spot("two frames in one", SpotDepth + SpotTicker, FrameFault.Malformed);
        Spot("trailing close brace", SpotDepth + "}", FrameFault.Malformed);
        Fut("futures depth with trailing garbage", FutDepth + ",", FrameFault.Malformed);
        Spot("data before stream, trailing garbage", "{\"data\":" + SpotTicker[(SpotTicker.IndexOf("\"data\":") + 7)..^1] + ",\"stream\":\"btcusdt@bookTicker\"}]", FrameFault.Malformed);
        Snap("snapshot garbage", "ETHUSDT|<html>", FrameFault.Malformed);
        Snap("snapshot trailing garbage", "ETHUSDT|" + EthSnapshot + "x", FrameFault.Malformed);

        // Too large.
        Spot("more than MaxLevels levels", Mutate(SpotDepth, "\"b\":[[\"100.5\",\"2\"],[\"100\",\"0\"]]",
            "\"b\":" + Levels(Enumerable.Range(1, Binance.Frames.BinanceFrameDecoder.MaxLevels + 1).Select(i => (i * 0.01m, 1m)))), FrameFault.TooLarge);
        Spot("more than MaxFrameBytes", Mutate(SpotDepth, "{\"e\":", "{\"pad\":\"" + new string('x', Binance.Frames.BinanceFrameDecoder.MaxFrameBytes) + "\",\"e\":"), FrameFault.TooLarge);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_frame_is_counted_under_its_fault_and_changes_nothing(string name, MarketKind market, bool snapshot, string body, FrameFault expected)
    {
        var rig = Prepared();
        var before = RigState.Of(rig);
        var faults = RigState.Faults(rig);
        string? symbol = null;
        if (snapshot) { symbol = body[..body.IndexOf('|')]; body = body[(body.IndexOf('|') + 1)..]; }
        var partition = market == MarketKind.Futures ? FutBtcUsdt.Key : snapshot ? SpotEthUsdt.Key : SpotBtcUsdt.Key;
        var header = new FrameHeader(market, snapshot ? FrameKind.DepthSnapshot : FrameKind.Stream, symbol, rig.Now);

        IngestResult result = default;
        var thrown = Record.Exception(() => result = rig.Frame(partition, header, Encoding.UTF8.GetBytes(body)));

        Assert.True(thrown is null, $"{name}: threw {thrown}");
        Assert.True(result.Dropped == 1 && result.Decoded == 0, $"{name}: {result}");
        var after = RigState.Faults(rig);
        faults[(int)expected]++;
        Assert.True(faults.SequenceEqual(after), $"{name}: expected one {expected}, fault counts are {string.Join(",", Enum.GetValues<FrameFault>().Select(f => $"{f}={rig.Handler.FaultCount(f)}"))}");
        Assert.Equal(before, RigState.Of(rig));
    }

    [Fact]
    public void The_unbroken_frames_do_change_the_rig()
    {
        // Otherwise "changes nothing" above would prove nothing.
        foreach (var (market, snapshot, body) in new[] { (MarketKind.Spot, false, SpotDepth), (MarketKind.Futures, false, FutDepth), (MarketKind.Spot, false, SpotTicker),
            (MarketKind.Futures, false, FutTicker), (MarketKind.Spot, false, SpotTrade), (MarketKind.Futures, false, FutMark), (MarketKind.Spot, true, EthSnapshot) })
        {
            var rig = Prepared();
            var before = RigState.Of(rig);
            var partition = market == MarketKind.Futures ? FutBtcUsdt.Key : snapshot ? SpotEthUsdt.Key : SpotBtcUsdt.Key;
            var result = rig.Frame(partition, new FrameHeader(market, snapshot ? FrameKind.DepthSnapshot : FrameKind.Stream, snapshot ? "ETHUSDT" : null, rig.Now), Encoding.UTF8.GetBytes(body));
            Assert.Equal(1, result.Decoded);
            Assert.NotEqual(before, RigState.Of(rig));
        }
    }

    public static TheoryData<string, MarketKind, bool, string> ValidFrames() => new()
    {
        { "spot depth", MarketKind.Spot, false, SpotDepth },
        { "futures depth", MarketKind.Futures, false, FutDepth },
        { "spot ticker", MarketKind.Spot, false, SpotTicker },
        { "futures ticker", MarketKind.Futures, false, FutTicker },
        { "spot trade", MarketKind.Spot, false, SpotTrade },
        { "futures mark", MarketKind.Futures, false, FutMark },
        { "snapshot", MarketKind.Spot, true, EthSnapshot },
    };

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Every_truncation_of_a_valid_frame_is_malformed_and_changes_nothing(string name, MarketKind market, bool snapshot, string body)
    {
        var rig = Prepared();
        var before = RigState.Of(rig);
        var partition = market == MarketKind.Futures ? FutBtcUsdt.Key : snapshot ? SpotEthUsdt.Key : SpotBtcUsdt.Key;
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var header = new FrameHeader(market, snapshot ? FrameKind.DepthSnapshot : FrameKind.Stream, snapshot ? "ETHUSDT" : null, rig.Now);
            var result = rig.Frame(partition, header, bytes[..cut]);
            Assert.True(result.Dropped == 1, $"{name} cut at {cut} ('{body[..cut]}'): {result}");
            Assert.True(rig.Handler.FaultCount(FrameFault.Malformed) == cut + 1, $"{name} cut at {cut} ('{body[..cut]}') is not malformed");
            Assert.True(before == RigState.Of(rig), $"{name} cut at {cut} ('{body[..cut]}') changed the rig");
        }
    }
}
