using System.Buffers.Text;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Benchmarks;

/// <summary>How one synthetic instrument looks: its price, tick and step, and how Binance prints its decimals.</summary>
internal sealed record InstrumentSpec(Instrument Instrument, decimal Price, int PriceDecimals, int QuantityDecimals, double Weight);

/// <summary>
/// A deterministic (seeded) recorded frame set, as the connector would have published it: per instrument a true order
/// book of a few hundred levels per side near a realistic price, changed one update id at a time; a bookTicker frame
/// after each top-of-book change, a depth@100ms diff of every level changed since the previous diff (U/u chained, pu
/// on futures), the REST snapshot taken after the stream opened (so the first diffs are buffered, then straddled),
/// and optionally aggTrades. Bodies are Binance's exact shapes, decimals as strings ("43250.12000000").
/// </summary>
internal sealed class FrameGenerator
{
    private readonly Random random;
    private readonly Book[] books;
    private readonly double[] cumulativeWeight;
    private readonly double depthShare, tradeShare;
    private readonly long[] sequences;
    private readonly ByteBuilder bytes = new();

    public FrameGenerator(IReadOnlyList<InstrumentSpec> specs, int seed, double depthShare, double tradeShare, int levelsPerSide, DateTimeOffset start)
    {
        random = new Random(seed);
        this.depthShare = depthShare;
        this.tradeShare = tradeShare;
        books = [.. specs.Select((s, i) => new Book(s, levelsPerSide, start, random, 1_000_000_000L * (i + 1)))];
        var total = specs.Sum(s => s.Weight);
        var sum = 0.0;
        cumulativeWeight = [.. specs.Select(s => sum += s.Weight / total)];
        sequences = new long[specs.Count];
    }

    public IReadOnlyList<Instrument> Instruments => [.. books.Select(b => b.Spec.Instrument)];

    /// <summary>Per instrument: a few diffs and quotes before the REST snapshot (they are buffered, then dropped or straddled), then the snapshot.</summary>
    public Segment Opening(int framesBeforeSnapshot, int batchSize)
    {
        var segment = new SegmentBuilder(batchSize, books.Length);
        for (var b = 0; b < books.Length; b++)
        {
            var book = books[b];
            for (var i = 0; i < framesBeforeSnapshot; i++) Next(b, segment);
            if (book.LastWasDepth || book.PendingCount == 0) Quote(b, segment); // snapshot lands between two diffs
            segment.Add(b, sequences[b]++, book.WriteSnapshot(bytes), new FrameHeader(book.Spec.Instrument.Market, FrameKind.DepthSnapshot, book.Spec.Instrument.Symbol, book.Receive()), FrameType.Snapshot);
        }
        return segment.Build(bytes);
    }

    /// <summary><paramref name="frames"/> stream frames, interleaved across instruments by weight, in batches of one partition.</summary>
    public Segment Stream(int frames, int batchSize)
    {
        var segment = new SegmentBuilder(batchSize, books.Length);
        for (var i = 0; i < frames; i++)
        {
            var r = random.NextDouble();
            var b = 0;
            while (b < cumulativeWeight.Length - 1 && r > cumulativeWeight[b]) b++;
            Next(b, segment);
        }
        return segment.Build(bytes);
    }

    /// <summary>The generator's own book of each instrument at its last diff: what the ingest side's depth book must be.</summary>
    public (Instrument Instrument, long LastUpdateId, decimal BestBid, decimal BestAsk, int Bids, int Asks)[] Truth()
        => [.. books.Select(b => b.Truth())];

    private void Next(int b, SegmentBuilder segment)
    {
        var book = books[b];
        var r = random.NextDouble();
        if (r < tradeShare) { segment.Add(b, sequences[b]++, book.WriteTrade(bytes), book.StreamHeader(), FrameType.Trade); return; }
        if (r < tradeShare + depthShare || book.PendingCount >= 18) { Depth(b, segment); return; }
        Quote(b, segment);
    }

    private void Quote(int b, SegmentBuilder segment)
    {
        var book = books[b];
        book.ChangeTop();
        segment.Add(b, sequences[b]++, book.WriteBookTicker(bytes), book.StreamHeader(), FrameType.BookTicker);
    }

    private void Depth(int b, SegmentBuilder segment)
    {
        var book = books[b];
        var changes = 1 + random.Next(6);
        for (var i = 0; i < changes; i++) book.ChangeDeep();
        segment.Add(b, sequences[b]++, book.WriteDepth(bytes), book.StreamHeader(), FrameType.Depth);
    }

    internal enum FrameType : byte { BookTicker, Depth, Trade, Snapshot }

    /// <summary>One instrument's true book: quantities by price tick in a window around the start price.</summary>
    private sealed class Book
    {
        private const int Window = 40_000;
        private readonly long[] quantity = new long[Window]; // in steps; 0 = no level
        // Levels changed since the last diff, per side: a price can stop being a bid and become an ask between two diffs.
        private readonly bool[] pendingBid = new bool[Window], pendingAsk = new bool[Window];
        private readonly List<int> pendingBids = [], pendingAsks = [];
        private readonly Random random;
        private readonly int target;
        private readonly long tickUnits, stepUnits; // the tick and step in units of the printed decimals
        private readonly long basePriceUnits;
        private int bestBid, bestAsk, bidCount, askCount;
        private long updateId, lastDiffId, tradeId;
        private DateTimeOffset exchangeTime;

        public Book(InstrumentSpec spec, int levelsPerSide, DateTimeOffset start, Random random, long firstUpdateId)
        {
            Spec = spec;
            this.random = random;
            target = levelsPerSide;
            exchangeTime = start;
            tickUnits = (long)(spec.Instrument.TickSize * Pow10(spec.PriceDecimals));
            stepUnits = (long)(spec.Instrument.StepSize * Pow10(spec.QuantityDecimals));
            var centre = Window / 2;
            basePriceUnits = (long)(spec.Price * Pow10(spec.PriceDecimals)) / tickUnits * tickUnits - centre * tickUnits;
            bestBid = centre;
            bestAsk = centre + 1;
            // About three levels in four ticks filled, the top always.
            for (int t = bestBid, n = 0; n < levelsPerSide; t--) if (t == bestBid || random.NextDouble() < 0.75) { quantity[t] = RandomQuantity(t, bestBid); n++; }
            for (int t = bestAsk, n = 0; n < levelsPerSide; t++) if (t == bestAsk || random.NextDouble() < 0.75) { quantity[t] = RandomQuantity(t, bestAsk); n++; }
            bidCount = askCount = levelsPerSide;
            updateId = lastDiffId = firstUpdateId;
            tradeId = firstUpdateId / 10;
        }

        public InstrumentSpec Spec { get; }
        public int PendingCount => pendingBids.Count + pendingAsks.Count;
        public bool LastWasDepth { get; private set; }

        private static long Pow10(int n) { long p = 1; for (var i = 0; i < n; i++) p *= 10; return p; }

        private long RandomQuantity(int tick, int best)
        {
            // Heavier away from the top, a long tail; at least one step.
            var distance = Math.Abs(tick - best);
            var scale = 1.0 + distance / 20.0;
            var units = (long)(-Math.Log(1 - random.NextDouble()) * scale * 2000) + 1;
            return units;
        }

        private void Set(int tick, long qty)
        {
            var had = quantity[tick] != 0;
            quantity[tick] = qty;
            var bid = tick < bestAsk;
            if (had && qty == 0) { if (bid) bidCount--; else askCount--; }
            if (!had && qty != 0) { if (bid) bidCount++; else askCount++; }
            if (bid && !pendingBid[tick]) { pendingBid[tick] = true; pendingBids.Add(tick); }
            if (!bid && !pendingAsk[tick]) { pendingAsk[tick] = true; pendingAsks.Add(tick); }
            updateId++;
        }

        /// <summary>One change of the best level: its size, its removal (the next level becomes best), or a better price inside the spread.</summary>
        public void ChangeTop()
        {
            Tick();
            var bid = random.Next(2) == 0;
            var r = random.NextDouble();
            // Pull the mid back towards the window's centre so the walk never leaves it.
            var drift = (bestBid - Window / 2) / 2000.0;
            if (r < 0.55)
                Set(bid ? bestBid : bestAsk, RandomQuantity(0, 0));
            else if (r < 0.75)
            {
                // Taking out the best bid moves the mid down, the best ask up: lean against the drift.
                if (random.NextDouble() < 0.5 + Math.Clamp(drift, -0.4, 0.4))
                {
                    // The best bid is taken out; the next one down becomes best.
                    if (bidCount <= 2) { Set(bestBid, RandomQuantity(0, 0)); return; }
                    var old = bestBid;
                    Set(old, 0);
                    do bestBid--; while (quantity[bestBid] == 0);
                }
                else
                {
                    if (askCount <= 2) { Set(bestAsk, RandomQuantity(0, 0)); return; }
                    var old = bestAsk;
                    Set(old, 0);
                    do bestAsk++; while (quantity[bestAsk] == 0);
                }
            }
            else if (bestAsk - bestBid > 1)
            {
                // A new best inside the spread: a new bid moves the mid up, a new ask down.
                if (random.NextDouble() >= 0.5 + Math.Clamp(drift, -0.4, 0.4)) { bestBid++; Set(bestBid, RandomQuantity(0, 0)); }
                else { bestAsk--; Set(bestAsk, RandomQuantity(0, 0)); }
            }
            else
                Set(bid ? bestBid : bestAsk, RandomQuantity(0, 0));
        }

        /// <summary>One change below the top: a size, a new level or a cancelled one, mostly within the first 50 levels.</summary>
        public void ChangeDeep()
        {
            var bid = random.Next(2) == 0;
            var distance = 1 + (int)Math.Min(Window / 4, -Math.Log(1 - random.NextDouble()) * 25);
            var tick = bid ? bestBid - distance : bestAsk + distance;
            if (tick <= 0 || tick >= Window - 1) tick = bid ? bestBid - 1 : bestAsk + 1;
            var count = bid ? bidCount : askCount;
            if (quantity[tick] == 0)
                Set(tick, RandomQuantity(tick, bid ? bestBid : bestAsk));
            else if (random.NextDouble() < (count > target ? 0.6 : 0.3))
                Set(tick, 0);
            else
                Set(tick, RandomQuantity(tick, bid ? bestBid : bestAsk));
        }

        private void Tick() => exchangeTime = exchangeTime.AddTicks(random.Next(0, 20_000)); // 0-2 ms a frame

        public DateTimeOffset Receive() => exchangeTime.AddTicks(random.Next(20_000, 250_000)); // 2-25 ms later

        public FrameHeader StreamHeader() => new(Spec.Instrument.Market, FrameKind.Stream, null, Receive());

        private bool Futures => Spec.Instrument.Market == MarketKind.Futures;
        private long EventMs => exchangeTime.ToUnixTimeMilliseconds();

        private void Stream(ByteBuilder b, string stream)
        {
            b.Raw("{\"stream\":\""u8);
            foreach (var c in Spec.Instrument.Symbol) b.Byte((byte)char.ToLowerInvariant(c));
            b.Raw("@"u8);
            b.Ascii(stream);
            b.Raw("\",\"data\":"u8);
        }

        public Body WriteBookTicker(ByteBuilder b)
        {
            LastWasDepth = false;
            var start = b.Start();
            Stream(b, "bookTicker");
            if (Futures) b.Raw("{\"e\":\"bookTicker\",\"u\":"u8); else b.Raw("{\"u\":"u8);
            b.Long(updateId);
            b.Raw(",\"s\":\""u8); b.Ascii(Spec.Instrument.Symbol);
            b.Raw("\",\"b\":"u8); Price(b, bestBid);
            b.Raw(",\"B\":"u8); Quantity(b, quantity[bestBid]);
            b.Raw(",\"a\":"u8); Price(b, bestAsk);
            b.Raw(",\"A\":"u8); Quantity(b, quantity[bestAsk]);
            if (Futures) { b.Raw(",\"T\":"u8); b.Long(EventMs - 1); b.Raw(",\"E\":"u8); b.Long(EventMs); }
            b.Raw("}}"u8);
            return b.End(start);
        }

        public Body WriteDepth(ByteBuilder b)
        {
            Tick();
            var start = b.Start();
            Stream(b, "depth@100ms");
            b.Raw("{\"e\":\"depthUpdate\",\"E\":"u8); b.Long(EventMs);
            if (Futures) { b.Raw(",\"T\":"u8); b.Long(EventMs - 2); }
            b.Raw(",\"s\":\""u8); b.Ascii(Spec.Instrument.Symbol);
            b.Raw("\",\"U\":"u8); b.Long(lastDiffId + 1);
            b.Raw(",\"u\":"u8); b.Long(updateId);
            if (Futures) { b.Raw(",\"pu\":"u8); b.Long(lastDiffId); }
            // Bids best first, then asks best first, as Binance lists them. A price that is now on the other side is
            // reported as removed from this one (every price between the bests is empty).
            pendingBids.Sort();
            pendingAsks.Sort();
            b.Raw(",\"b\":["u8);
            var first = true;
            for (var i = pendingBids.Count - 1; i >= 0; i--) { var t = pendingBids[i]; Level(b, t, t < bestAsk ? quantity[t] : 0, ref first); }
            b.Raw("],\"a\":["u8);
            first = true;
            foreach (var t in pendingAsks) Level(b, t, t > bestBid ? quantity[t] : 0, ref first);
            b.Raw("]}}"u8);
            foreach (var t in pendingBids) pendingBid[t] = false;
            foreach (var t in pendingAsks) pendingAsk[t] = false;
            pendingBids.Clear();
            pendingAsks.Clear();
            lastDiffId = updateId;
            LastWasDepth = true;
            diffTruth = (Spec.Instrument, updateId, PriceOf(bestBid), PriceOf(bestAsk), bidCount, askCount);
            return b.End(start);
        }

        public Body WriteTrade(ByteBuilder b)
        {
            Tick();
            LastWasDepth = false;
            var buyerIsMaker = random.Next(2) == 0;
            var price = buyerIsMaker ? bestBid : bestAsk;
            var first = tradeId + 1;
            tradeId += 1 + random.Next(3);
            var start = b.Start();
            Stream(b, "aggTrade");
            b.Raw("{\"e\":\"aggTrade\",\"E\":"u8); b.Long(EventMs);
            b.Raw(",\"s\":\""u8); b.Ascii(Spec.Instrument.Symbol);
            b.Raw("\",\"a\":"u8); b.Long(tradeId / 2);
            b.Raw(",\"p\":"u8); Price(b, price);
            b.Raw(",\"q\":"u8); Quantity(b, 1 + random.Next(5000));
            b.Raw(",\"f\":"u8); b.Long(first);
            b.Raw(",\"l\":"u8); b.Long(tradeId);
            b.Raw(",\"T\":"u8); b.Long(EventMs - 1);
            b.Raw(buyerIsMaker ? ",\"m\":true"u8 : ",\"m\":false"u8);
            if (!Futures) b.Raw(",\"M\":true"u8);
            b.Raw("}}"u8);
            return b.End(start);
        }

        public Body WriteSnapshot(ByteBuilder b)
        {
            var start = b.Start();
            b.Raw("{\"lastUpdateId\":"u8); b.Long(updateId);
            if (Futures) { b.Raw(",\"E\":"u8); b.Long(EventMs); b.Raw(",\"T\":"u8); b.Long(EventMs - 3); }
            b.Raw(",\"bids\":["u8);
            var first = true;
            for (var t = bestBid; t > 0; t--) if (quantity[t] != 0) Level(b, t, quantity[t], ref first);
            b.Raw("],\"asks\":["u8);
            first = true;
            for (var t = bestAsk; t < Window; t++) if (quantity[t] != 0) Level(b, t, quantity[t], ref first);
            b.Raw("]}"u8);
            return b.End(start);
        }

        private void Level(ByteBuilder b, int tick, long qty, ref bool first)
        {
            if (!first) b.Byte((byte)',');
            first = false;
            b.Byte((byte)'[');
            Price(b, tick);
            b.Byte((byte)',');
            Quantity(b, qty);
            b.Byte((byte)']');
        }

        private void Price(ByteBuilder b, int tick) => b.Fixed(basePriceUnits + tick * tickUnits, Spec.PriceDecimals);
        private void Quantity(ByteBuilder b, long steps) => b.Fixed(steps * stepUnits, Spec.QuantityDecimals);

        private decimal PriceOf(int tick) => (basePriceUnits + tick * tickUnits) / (decimal)Pow10(Spec.PriceDecimals);

        private (Instrument, long, decimal, decimal, int, int) diffTruth;

        /// <summary>The book as of the last diff: a depth book knows nothing newer (later quotes only move the bookTicker).</summary>
        public (Instrument, long, decimal, decimal, int, int) Truth() => diffTruth;
    }

    /// <summary>Collects frames into batches of one partition, each full batch in the order it filled up (as a hub consumer receives them).</summary>
    private sealed class SegmentBuilder(int batchSize, int partitions)
    {
        private readonly List<(int Partition, long Sequence, int Start, int Length, FrameHeader Header, FrameType Type)>[] open =
            [.. Enumerable.Range(0, partitions).Select(_ => new List<(int, long, int, int, FrameHeader, FrameType)>())];
        private readonly List<List<(int Partition, long Sequence, int Start, int Length, FrameHeader Header, FrameType Type)>> batches = [];

        public void Add(int partition, long sequence, Body body, FrameHeader header, FrameType type)
        {
            var list = open[partition];
            // Bodies are offsets into the builder's buffer (it may still grow); resolved when the segment is built.
            list.Add((partition, sequence, body.Start, body.Length, header, type));
            if (list.Count == batchSize)
            {
                batches.Add(list);
                open[partition] = [];
            }
        }

        public Segment Build(ByteBuilder bytes)
        {
            foreach (var list in open) if (list.Count > 0) batches.Add(list);
            var buffer = bytes.TakeSegment();
            var result = new List<BatchFrames>();
            long totalBytes = 0;
            var counts = new long[4];
            foreach (var list in batches)
            {
                var frames = new IngestFrame[list.Count];
                var types = new FrameType[list.Count];
                for (var i = 0; i < list.Count; i++)
                {
                    var f = list[i];
                    frames[i] = new IngestFrame(f.Sequence, f.Header.ReceivedAt, f.Header, buffer.AsMemory(f.Start, f.Length));
                    types[i] = f.Type;
                    totalBytes += f.Length;
                    counts[(int)f.Type]++;
                }
                result.Add(new BatchFrames(list[0].Partition, frames, types));
            }
            return new Segment([.. result], totalBytes, counts);
        }
    }
}

/// <summary>Frames of one partition, in order; <see cref="Types"/> says what each one is (for the checks, never read while timing).</summary>
internal sealed record BatchFrames(int Partition, IngestFrame[] Frames, FrameGenerator.FrameType[] Types);

/// <summary>A slice of the recorded stream: its batches and what they hold.</summary>
internal sealed record Segment(BatchFrames[] Batches, long Bytes, long[] CountByType)
{
    public long Frames => Batches.Sum(b => (long)b.Frames.Length);
    public long Count(FrameGenerator.FrameType type) => CountByType[(int)type];
}

/// <summary>Where one body is in a <see cref="ByteBuilder"/>.</summary>
internal readonly record struct Body(int Start, int Length);

/// <summary>An append-only byte buffer for one segment's bodies; offsets stay valid until the segment is taken.</summary>
internal sealed class ByteBuilder
{
    private byte[] buffer = new byte[1 << 20];
    private int length;

    public int Start() => length;

    public Body End(int start) => new(start, length - start);

    public byte[] TakeSegment()
    {
        var taken = buffer.AsSpan(0, length).ToArray();
        length = 0;
        return taken;
    }

    private Span<byte> Room(int n)
    {
        if (length + n > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + n));
        return buffer.AsSpan(length, n);
    }

    public void Byte(byte b) { Room(1)[0] = b; length++; }
    public void Raw(ReadOnlySpan<byte> s) { s.CopyTo(Room(s.Length)); length += s.Length; }
    public void Ascii(string s) { var span = Room(s.Length); for (var i = 0; i < s.Length; i++) span[i] = (byte)s[i]; length += s.Length; }

    public void Long(long value)
    {
        Utf8Formatter.TryFormat(value, Room(20), out var written);
        length += written;
    }

    /// <summary>A JSON string of <paramref name="units"/> / 10^<paramref name="decimals"/> with exactly that many decimals ("43250.12000000").</summary>
    public void Fixed(long units, int decimals)
    {
        Byte((byte)'"');
        long p = 1;
        for (var i = 0; i < decimals; i++) p *= 10;
        Long(units / p);
        if (decimals > 0)
        {
            Byte((byte)'.');
            var fraction = units % p;
            var span = Room(decimals);
            for (var i = decimals - 1; i >= 0; i--) { span[i] = (byte)('0' + fraction % 10); fraction /= 10; }
            length += decimals;
        }
        Byte((byte)'"');
    }
}
