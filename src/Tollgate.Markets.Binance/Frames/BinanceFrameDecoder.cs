using System.Text.Json;
using Tollgate.Markets.Events;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Frames;

/// <summary>
/// Decodes Binance combined-stream frames (<c>{"stream":"btcusdt@depth@100ms","data":{...}}</c>) and REST depth
/// snapshots straight from their UTF-8 bytes with <see cref="Utf8JsonReader"/>: decimals are parsed from the string
/// bytes exactly, symbols are looked up without building strings, and levels go to buffers the decoder reuses, so
/// a frame allocates nothing. Field names are Binance's, case-sensitive (<c>b</c> is the best bid price in a
/// bookTicker and the bids array in a depth update). Unknown fields are skipped; a missing or mistyped field, a bad
/// number or an unknown stream is a <see cref="FrameFault"/>, never an exception.
/// </summary>
public sealed class BinanceFrameDecoder(InstrumentTable instruments) : IFrameDecoder
{
    /// <summary>Larger than any frame Binance sends (a 5000-level futures snapshot is about 300 KB).</summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;
    public const int MaxLevels = 10_000;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };
    private PriceLevel[] bids = new PriceLevel[256];
    private PriceLevel[] asks = new PriceLevel[256];
    private readonly HeldEvent held = new();
    private readonly byte[] lastSymbol = new byte[20];
    private int lastSymbolLength;
    private MarketKind lastMarket;
    private Instrument? lastFound;

    public FrameFault Decode(in FrameHeader header, ReadOnlySpan<byte> body, IMarketEventSink sink)
    {
        if (body.Length > MaxFrameBytes) return FrameFault.TooLarge;
        try
        {
            return header.Kind == FrameKind.DepthSnapshot
                ? DecodeSnapshot(header, body, sink)
                : DecodeStream(header, body, sink);
        }
        catch (JsonException)
        {
            return FrameFault.Malformed;
        }
    }

    private FrameFault DecodeStream(in FrameHeader header, ReadOnlySpan<byte> body, IMarketEventSink sink)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return FrameFault.Malformed;
        var kind = StreamKind.None;
        ReadOnlySpan<byte> streamSymbol = default;
        int dataStart = -1, dataEnd = -1;
        var control = false;
        var decodedInPlace = false;
        var heldFault = FrameFault.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stream"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return FrameFault.Schema;
                if (!TryParseStreamName(reader.ValueSpan, header.Market, out streamSymbol, out kind)) return FrameFault.UnknownStream;
                decodedInPlace = false; // a "stream" after the data: the data is decoded again below, as this one names it
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) return FrameFault.Schema;
                // Delivered only once the whole envelope has been read (and "stream" is known, wherever it is): a
                // frame cut after its data, or followed by garbage, must not have delivered its event already.
                dataStart = (int)reader.TokenStartIndex;
                if (kind != StreamKind.None)
                {
                    // "stream" came first, as Binance sends it: decode in this one pass and hold the event until the
                    // envelope is complete. A decode that stopped inside the data rewinds to its start to skip it.
                    var atData = reader;
                    heldFault = DecodeData(ref reader, kind, header, streamSymbol, held);
                    if (heldFault != FrameFault.None) { reader = atData; reader.Skip(); }
                    decodedInPlace = true;
                }
                else
                {
                    reader.Skip();
                    decodedInPlace = false;
                }
                dataEnd = (int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("id"u8))
            {
                control = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("error"u8))
            {
                return FrameFault.ExchangeError;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) return FrameFault.Malformed;
        while (reader.Read()) { } // trailing garbage throws
        if (dataStart >= 0)
        {
            if (kind == StreamKind.None) return FrameFault.Schema;
            if (decodedInPlace)
            {
                if (heldFault == FrameFault.None) held.DeliverTo(sink, bids, asks);
                return heldFault;
            }
            var data = new Utf8JsonReader(body[dataStart..dataEnd], ReaderOptions);
            data.Read();
            return DecodeData(ref data, kind, header, streamSymbol, sink);
        }
        return control && kind == StreamKind.None ? FrameFault.Control : FrameFault.Schema;
    }

    private FrameFault DecodeData(ref Utf8JsonReader reader, StreamKind kind, in FrameHeader header, ReadOnlySpan<byte> streamSymbol, IMarketEventSink sink)
        => kind switch
        {
            StreamKind.BookTicker => DecodeBookTicker(ref reader, header, streamSymbol, sink),
            StreamKind.Depth => DecodeDepth(ref reader, header, streamSymbol, sink),
            StreamKind.AggTrade => DecodeAggTrade(ref reader, header, streamSymbol, sink),
            StreamKind.MarkPrice => DecodeMarkPrice(ref reader, header, streamSymbol, sink),
            _ => FrameFault.UnknownStream,
        };

    private FrameFault DecodeBookTicker(ref Utf8JsonReader reader, in FrameHeader header, ReadOnlySpan<byte> streamSymbol, IMarketEventSink sink)
    {
        Instrument? instrument = null;
        long updateId = 0;
        long? eventTime = null;
        decimal bid = 0, bidQty = 0, ask = 0, askQty = 0;
        var seen = Fields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            FrameFault fault;
            switch (NameKey(ref reader))
            {
                case (byte)'u': fault = ReadLong(ref reader, out updateId); seen |= Fields.FinalId; break;
                case (byte)'s': fault = ReadSymbol(ref reader, header.Market, streamSymbol, out instrument); seen |= Fields.Symbol; break;
                case (byte)'b': fault = ReadDecimal(ref reader, out bid); seen |= Fields.Bid; break;
                case (byte)'B': fault = ReadDecimal(ref reader, out bidQty); seen |= Fields.BidQty; break;
                case (byte)'a': fault = ReadDecimal(ref reader, out ask); seen |= Fields.Ask; break;
                case (byte)'A': fault = ReadDecimal(ref reader, out askQty); seen |= Fields.AskQty; break;
                case (byte)'E': fault = ReadLong(ref reader, out var e); eventTime = e; break;
                default: fault = SkipValue(ref reader); break;
            }
            if (fault != FrameFault.None) return fault;
        }
        const Fields required = Fields.FinalId | Fields.Symbol | Fields.Bid | Fields.BidQty | Fields.Ask | Fields.AskQty;
        if ((seen & required) != required) return FrameFault.Schema;
        if (bidQty < 0 || askQty < 0 || bid < 0 || ask < 0 || updateId < 0) return FrameFault.Value;
        DateTimeOffset? exchangeTime = null;
        if (eventTime is { } ms)
        {
            if (!TryTime(ms, out var t)) return FrameFault.Number;
            exchangeTime = t;
        }
        sink.OnQuote(new Quote(instrument!, updateId, bid, bidQty, ask, askQty, exchangeTime, header.ReceivedAt));
        return FrameFault.None;
    }

    private FrameFault DecodeDepth(ref Utf8JsonReader reader, in FrameHeader header, ReadOnlySpan<byte> streamSymbol, IMarketEventSink sink)
    {
        Instrument? instrument = null;
        long first = 0, final = 0, previous = 0, eventTime = 0;
        int bidCount = 0, askCount = 0;
        var seen = Fields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            FrameFault fault;
            switch (NameKey(ref reader))
            {
                case (byte)'e': fault = ExpectEvent(ref reader, "depthUpdate"u8); break;
                case (byte)'E': fault = ReadLong(ref reader, out eventTime); seen |= Fields.EventTime; break;
                case (byte)'s': fault = ReadSymbol(ref reader, header.Market, streamSymbol, out instrument); seen |= Fields.Symbol; break;
                case (byte)'U': fault = ReadLong(ref reader, out first); seen |= Fields.FirstId; break;
                case (byte)'u': fault = ReadLong(ref reader, out final); seen |= Fields.FinalId; break;
                case 'p' | 'u' << 8 | 1 << 16: fault = ReadLong(ref reader, out previous); seen |= Fields.PreviousId; break;
                case (byte)'b': fault = ReadLevels(ref reader, ref bids, out bidCount); seen |= Fields.Bid; break;
                case (byte)'a': fault = ReadLevels(ref reader, ref asks, out askCount); seen |= Fields.Ask; break;
                default: fault = SkipValue(ref reader); break;
            }
            if (fault != FrameFault.None) return fault;
        }
        var required = Fields.EventTime | Fields.Symbol | Fields.FirstId | Fields.FinalId | Fields.Bid | Fields.Ask;
        if (header.Market == MarketKind.Futures) required |= Fields.PreviousId;
        if ((seen & required) != required) return FrameFault.Schema;
        if (first < 0 || final < first) return FrameFault.Value;
        if (!TryTime(eventTime, out var exchangeTime)) return FrameFault.Number;
        sink.OnBookDelta(new BookDelta(instrument!, first, final, header.Market == MarketKind.Futures ? previous : null,
            exchangeTime, header.ReceivedAt, bids.AsSpan(0, bidCount), asks.AsSpan(0, askCount)));
        return FrameFault.None;
    }

    private FrameFault DecodeAggTrade(ref Utf8JsonReader reader, in FrameHeader header, ReadOnlySpan<byte> streamSymbol, IMarketEventSink sink)
    {
        Instrument? instrument = null;
        long id = 0, firstTrade = 0, lastTrade = 0, eventTime = 0, tradeTime = 0;
        decimal price = 0, quantity = 0;
        var buyerIsMaker = false;
        var seen = Fields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            FrameFault fault;
            switch (NameKey(ref reader))
            {
                case (byte)'e': fault = ExpectEvent(ref reader, "aggTrade"u8); break;
                case (byte)'E': fault = ReadLong(ref reader, out eventTime); seen |= Fields.EventTime; break;
                case (byte)'s': fault = ReadSymbol(ref reader, header.Market, streamSymbol, out instrument); seen |= Fields.Symbol; break;
                case (byte)'a': fault = ReadLong(ref reader, out id); seen |= Fields.FinalId; break;
                case (byte)'p': fault = ReadDecimal(ref reader, out price); seen |= Fields.Bid; break;
                case (byte)'q': fault = ReadDecimal(ref reader, out quantity); seen |= Fields.BidQty; break;
                case (byte)'f': fault = ReadLong(ref reader, out firstTrade); seen |= Fields.FirstId; break;
                case (byte)'l': fault = ReadLong(ref reader, out lastTrade); seen |= Fields.PreviousId; break;
                case (byte)'T': fault = ReadLong(ref reader, out tradeTime); seen |= Fields.TradeTime; break;
                case (byte)'m': fault = ReadBool(ref reader, out buyerIsMaker); seen |= Fields.Ask; break;
                default: fault = SkipValue(ref reader); break;
            }
            if (fault != FrameFault.None) return fault;
        }
        const Fields required = Fields.EventTime | Fields.Symbol | Fields.FinalId | Fields.Bid | Fields.BidQty | Fields.FirstId | Fields.PreviousId | Fields.TradeTime | Fields.Ask;
        if ((seen & required) != required) return FrameFault.Schema;
        if (price <= 0 || quantity <= 0 || lastTrade < firstTrade) return FrameFault.Value;
        if (!TryTime(eventTime, out var exchangeTime) || !TryTime(tradeTime, out var traded)) return FrameFault.Number;
        sink.OnTrade(new Trade(instrument!, id, firstTrade, lastTrade, price, quantity, buyerIsMaker, traded, exchangeTime, header.ReceivedAt));
        return FrameFault.None;
    }

    private FrameFault DecodeMarkPrice(ref Utf8JsonReader reader, in FrameHeader header, ReadOnlySpan<byte> streamSymbol, IMarketEventSink sink)
    {
        Instrument? instrument = null;
        long eventTime = 0, nextFunding = 0;
        decimal mark = 0, index = 0, settle = 0, funding = 0;
        var seen = Fields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            FrameFault fault;
            switch (NameKey(ref reader))
            {
                case (byte)'e': fault = ExpectEvent(ref reader, "markPriceUpdate"u8); break;
                case (byte)'E': fault = ReadLong(ref reader, out eventTime); seen |= Fields.EventTime; break;
                case (byte)'s': fault = ReadSymbol(ref reader, header.Market, streamSymbol, out instrument); seen |= Fields.Symbol; break;
                case (byte)'p': fault = ReadDecimal(ref reader, out mark); seen |= Fields.Bid; break;
                case (byte)'i': fault = ReadDecimal(ref reader, out index); seen |= Fields.BidQty; break;
                case (byte)'P': fault = ReadDecimal(ref reader, out settle); seen |= Fields.Ask; break;
                case (byte)'r': fault = ReadDecimal(ref reader, out funding); seen |= Fields.AskQty; break;
                case (byte)'T': fault = ReadLong(ref reader, out nextFunding); seen |= Fields.TradeTime; break;
                default: fault = SkipValue(ref reader); break;
            }
            if (fault != FrameFault.None) return fault;
        }
        const Fields required = Fields.EventTime | Fields.Symbol | Fields.Bid | Fields.BidQty | Fields.Ask | Fields.AskQty | Fields.TradeTime;
        if ((seen & required) != required) return FrameFault.Schema;
        if (mark <= 0 || index < 0 || settle < 0) return FrameFault.Value;
        if (!TryTime(eventTime, out var exchangeTime) || !TryTime(nextFunding, out var next)) return FrameFault.Number;
        sink.OnMarkPrice(new MarkPrice(instrument!, mark, index, settle, funding, next, exchangeTime, header.ReceivedAt));
        return FrameFault.None;
    }

    private FrameFault DecodeSnapshot(in FrameHeader header, ReadOnlySpan<byte> body, IMarketEventSink sink)
    {
        if (header.Symbol is null || instruments.Find(header.Market, header.Symbol) is not { } instrument) return FrameFault.UnknownSymbol;
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return FrameFault.Malformed;
        long lastUpdateId = 0;
        int bidCount = 0, askCount = 0;
        var seen = Fields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            FrameFault fault;
            if (reader.ValueTextEquals("lastUpdateId"u8)) { fault = ReadLong(ref reader, out lastUpdateId); seen |= Fields.FinalId; }
            else if (reader.ValueTextEquals("bids"u8)) { fault = ReadLevels(ref reader, ref bids, out bidCount); seen |= Fields.Bid; }
            else if (reader.ValueTextEquals("asks"u8)) { fault = ReadLevels(ref reader, ref asks, out askCount); seen |= Fields.Ask; }
            else if (reader.ValueTextEquals("code"u8)) return FrameFault.ExchangeError;
            else fault = SkipValue(ref reader);
            if (fault != FrameFault.None) return fault;
        }
        if (reader.TokenType != JsonTokenType.EndObject) return FrameFault.Malformed;
        while (reader.Read()) { }
        const Fields required = Fields.FinalId | Fields.Bid | Fields.Ask;
        if ((seen & required) != required) return FrameFault.Schema;
        if (lastUpdateId < 0) return FrameFault.Value;
        sink.OnBookSnapshot(new BookSnapshot(instrument, lastUpdateId, header.ReceivedAt, bids.AsSpan(0, bidCount), asks.AsSpan(0, askCount)));
        return FrameFault.None;
    }

    /// <summary><c>[["price","qty"], ...]</c> into <paramref name="into"/> (grown when needed, kept for the next frame).</summary>
    private static FrameFault ReadLevels(ref Utf8JsonReader reader, ref PriceLevel[] into, out int count)
    {
        count = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return FrameFault.Schema;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray) return FrameFault.Schema;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return FrameFault.Schema;
            if (!Utf8Decimal.TryParse(reader.ValueSpan, out var price)) return FrameFault.Number;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return FrameFault.Schema;
            if (!Utf8Decimal.TryParse(reader.ValueSpan, out var quantity)) return FrameFault.Number;
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) return FrameFault.Schema;
            if (price <= 0 || quantity < 0) return FrameFault.Value;
            if (count == MaxLevels) return FrameFault.TooLarge;
            if (count == into.Length) Array.Resize(ref into, into.Length * 2);
            into[count++] = new PriceLevel(price, quantity);
        }
        return FrameFault.None;
    }

    /// <summary>
    /// A property name as a small integer, so a payload's fields dispatch with one switch instead of a chain of
    /// comparisons: one byte is itself, two bytes are packed with a length bit, anything else is -1 (skipped).
    /// </summary>
    private static int NameKey(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) return EscapedNameKey(ref reader);
        var name = reader.ValueSpan;
        return name.Length switch
        {
            1 => name[0],
            2 => name[0] | name[1] << 8 | 1 << 16,
            _ => -1,
        };
    }

    // "\u0075" is "u" too: JSON allows any name to be escaped, so compare what it unescapes to.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int EscapedNameKey(ref Utf8JsonReader reader)
    {
        if (reader.ValueSpan.Length > 64) return -1;
        Span<byte> name = stackalloc byte[64];
        var length = reader.CopyString(name);
        return length switch
        {
            1 => name[0],
            2 => name[0] | name[1] << 8 | 1 << 16,
            _ => -1,
        };
    }

    private static FrameFault ReadLong(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number) return FrameFault.Schema;
        return reader.TryGetInt64(out value) ? FrameFault.None : FrameFault.Number;
    }

    private static FrameFault ReadDecimal(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return FrameFault.Schema;
        return Utf8Decimal.TryParse(reader.ValueSpan, out value) ? FrameFault.None : FrameFault.Number;
    }

    private static FrameFault ReadBool(ref Utf8JsonReader reader, out bool value)
    {
        value = false;
        if (!reader.Read()) return FrameFault.Malformed;
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return FrameFault.Schema;
        value = reader.TokenType == JsonTokenType.True;
        return FrameFault.None;
    }

    private FrameFault ReadSymbol(ref Utf8JsonReader reader, MarketKind market, ReadOnlySpan<byte> streamSymbol, out Instrument? instrument)
    {
        instrument = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return FrameFault.Schema;
        var symbol = reader.ValueSpan;
        if (!streamSymbol.IsEmpty && !System.Text.Ascii.EqualsIgnoreCase(symbol, streamSymbol)) return FrameFault.Schema;
        // A partition carries one instrument's frames, mostly: the last symbol found is remembered by its exact bytes
        // (the table never changes), which spares a case-insensitive dictionary lookup per frame.
        if (lastFound is not null && market == lastMarket && symbol.SequenceEqual(lastSymbol.AsSpan(0, lastSymbolLength)))
        {
            instrument = lastFound;
            return FrameFault.None;
        }
        if (!instruments.TryFind(market, symbol, out var found)) return FrameFault.UnknownSymbol;
        instrument = found;
        if (symbol.Length <= lastSymbol.Length)
        {
            symbol.CopyTo(lastSymbol);
            (lastSymbolLength, lastMarket, lastFound) = (symbol.Length, market, found);
        }
        return FrameFault.None;
    }

    private static FrameFault ExpectEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.String) return FrameFault.Schema;
        return reader.ValueTextEquals(expected) ? FrameFault.None : FrameFault.UnknownStream;
    }

    private static FrameFault SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
        return FrameFault.None;
    }

    private static bool TryTime(long unixMilliseconds, out DateTimeOffset time)
    {
        time = default;
        if (unixMilliseconds is < 0 or > 253_402_300_799_999) return false;
        time = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        return true;
    }

    /// <summary><c>btcusdt@bookTicker</c> → symbol bytes and kind. Futures-only streams on a spot connection are unknown.</summary>
    internal static bool TryParseStreamName(ReadOnlySpan<byte> name, MarketKind market, out ReadOnlySpan<byte> symbol, out StreamKind kind)
    {
        kind = StreamKind.None;
        symbol = default;
        var at = name.IndexOf((byte)'@');
        if (at <= 0) return false;
        symbol = name[..at];
        var rest = name[(at + 1)..];
        if (rest.SequenceEqual("bookTicker"u8)) kind = StreamKind.BookTicker;
        else if (rest.SequenceEqual("depth@100ms"u8) || rest.SequenceEqual("depth"u8) || rest.SequenceEqual("depth@250ms"u8) || rest.SequenceEqual("depth@500ms"u8)) kind = StreamKind.Depth;
        else if (rest.SequenceEqual("aggTrade"u8)) kind = StreamKind.AggTrade;
        else if (market == MarketKind.Futures && (rest.SequenceEqual("markPrice@1s"u8) || rest.SequenceEqual("markPrice"u8))) kind = StreamKind.MarkPrice;
        return kind != StreamKind.None;
    }

    internal enum StreamKind : byte { None, BookTicker, Depth, AggTrade, MarkPrice }

    /// <summary>
    /// The event of a stream frame decoded in place, held until its envelope has been read to the end. A delta's
    /// levels stay in the decoder's buffers (from index 0, as <see cref="DecodeDepth"/> hands them over); only their
    /// counts are held.
    /// </summary>
    private sealed class HeldEvent : IMarketEventSink
    {
        private enum Kind : byte { None, Quote, Delta, Trade, MarkPrice }

        private Kind kind;
        private Quote quote;
        private Trade trade;
        private MarkPrice markPrice;
        private Instrument? deltaInstrument;
        private long deltaFirst, deltaFinal;
        private long? deltaPrevious;
        private DateTimeOffset deltaExchangeTime, deltaIngestTime;
        private int deltaBids, deltaAsks;

        public void OnQuote(in Quote q) { quote = q; kind = Kind.Quote; }
        public void OnTrade(in Trade t) { trade = t; kind = Kind.Trade; }
        public void OnMarkPrice(in MarkPrice m) { markPrice = m; kind = Kind.MarkPrice; }

        public void OnBookDelta(in BookDelta delta)
        {
            (deltaInstrument, deltaFirst, deltaFinal, deltaPrevious) = (delta.Instrument, delta.FirstUpdateId, delta.FinalUpdateId, delta.PreviousFinalUpdateId);
            (deltaExchangeTime, deltaIngestTime, deltaBids, deltaAsks) = (delta.ExchangeTime, delta.IngestTime, delta.Bids.Length, delta.Asks.Length);
            kind = Kind.Delta;
        }

        public void OnBookSnapshot(in BookSnapshot snapshot) => throw new InvalidOperationException("a stream frame never holds a snapshot");

        public void DeliverTo(IMarketEventSink sink, PriceLevel[] bids, PriceLevel[] asks)
        {
            var k = kind;
            kind = Kind.None;
            switch (k)
            {
                case Kind.Quote: sink.OnQuote(quote); break;
                case Kind.Trade: sink.OnTrade(trade); break;
                case Kind.MarkPrice: sink.OnMarkPrice(markPrice); break;
                case Kind.Delta:
                    sink.OnBookDelta(new BookDelta(deltaInstrument!, deltaFirst, deltaFinal, deltaPrevious, deltaExchangeTime, deltaIngestTime,
                        bids.AsSpan(0, deltaBids), asks.AsSpan(0, deltaAsks)));
                    break;
            }
        }
    }

    // Which fields a payload carried; the names are reused across payload kinds for the same slot.
    [Flags]
    private enum Fields : ushort
    {
        None = 0,
        Symbol = 1, EventTime = 2, FirstId = 4, FinalId = 8, PreviousId = 16,
        Bid = 32, BidQty = 64, Ask = 128, AskQty = 256, TradeTime = 512,
    }
}
