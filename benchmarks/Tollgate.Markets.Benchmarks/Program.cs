using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tollgate.Markets.Benchmarks;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Events;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

// `orders` as the first argument: the order-routing figures of issue 6 (OrderBenchmark.cs); anything else: market ingest.
if (args.Length > 0 && args[0] == "orders") return await OrderBenchmark.RunAsync(args[1..]);

// Market ingest figures (docs/BENCHMARKS.md, issue 5): recorded frames through MarketIngestHandler (parse, normalize,
// book update, features) on one thread, against Utf8JsonReader scanning the same bytes and against the decoder
// alone. Rounds are interleaved (scan, decode, ingest on the same slice of frames, then the next slice), so every
// ratio compares like with like within one run. Allocation is GC.GetAllocatedBytesForCurrentThread around each
// measured loop, divided by its frames.
var framesOption = new Option<int>("--frames") { Description = "Stream frames per measured round (synthetic set).", DefaultValueFactory = _ => 500_000 };
var roundsOption = new Option<int>("--rounds") { Description = "Measured rounds of each figure, interleaved (after two warm-up rounds).", DefaultValueFactory = _ => 5 };
var warmupOption = new Option<int>("--warmup") { Description = "Stream frames of each warm-up round.", DefaultValueFactory = _ => 300_000 };
var batchOption = new Option<int>("--batch") { Description = "Frames per ingest batch (one partition each).", DefaultValueFactory = _ => 256 };
var seedOption = new Option<int>("--seed") { Description = "Seed of the synthetic frame set.", DefaultValueFactory = _ => 5 };
var levelsOption = new Option<int>("--levels") { Description = "Book levels per side of each synthetic instrument.", DefaultValueFactory = _ => 300 };
var depthShareOption = new Option<double>("--depth-share") { Description = "Share of depth@100ms frames (the rest bookTicker, and aggTrade by --trade-share).", DefaultValueFactory = _ => 0.15 };
var tradeShareOption = new Option<double>("--trade-share") { Description = "Share of aggTrade frames.", DefaultValueFactory = _ => 0.0 };
var digestOption = new Option<bool>("--digest") { Description = "Afterwards, replay every frame into a fresh handler writing FeatureEventJson lines and print their SHA-256 (to check a change leaves the features byte-identical)." };
var chunkOption = new Option<int>("--chunk") { Description = "Batches per interleaving step: within a round, scan, decode and ingest take turns over each chunk, in rotating order, so the shared machine's speed changes hit all three alike.", DefaultValueFactory = _ => 32 };
var captureOption = new Option<string?>("--capture") { Description = "Measure a capture file (gzip JSONL, CaptureWriter) instead of the synthetic set." };
foreach (var option in new[] { framesOption, roundsOption, warmupOption, batchOption, levelsOption, chunkOption })
    option.Validators.Add(result => { if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1."); });
var root = new RootCommand("Measures market ingest of recorded frames on one core; prints a Markdown table.")
{
    framesOption, roundsOption, warmupOption, batchOption, seedOption, levelsOption, depthShareOption, tradeShareOption, captureOption, digestOption, chunkOption,
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 || args.Contains("--help") || args.Contains("-h")) return await parsed.InvokeAsync();
var rounds = parsed.GetValue(roundsOption);
var batchSize = parsed.GetValue(batchOption);
var capture = parsed.GetValue(captureOption);
var chunk = parsed.GetValue(chunkOption);

// The frame set: per round its own slice of frames; the ingest side needs fresh sequence numbers and update ids
// each round (the handler skips a redelivered sequence number, a book ignores an update it has applied).
InstrumentTable table;
IngestBatch[] opening;
IngestBatch[][] warmups;
IngestBatch[][] measured;
long[] expectedFeatures;
string source;
long captureFrames = 0;
(Instrument Instrument, long LastUpdateId, decimal BestBid, decimal BestAsk, int Bids, int Asks)[]? truth = null;
var generation = Stopwatch.StartNew();
if (capture is null)
{
    var depthShare = parsed.GetValue(depthShareOption);
    var tradeShare = parsed.GetValue(tradeShareOption);
    var levels = parsed.GetValue(levelsOption);
    InstrumentSpec[] specs =
    [
        new(new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m), 43250.12m, 8, 8, 0.40),
        new(new Instrument(MarketKind.Spot, "ETHUSDT", 0.01m, 0.0001m, 5m), 2281.47m, 8, 8, 0.25),
        new(new Instrument(MarketKind.Futures, "BTCUSDT", 0.10m, 0.001m, 100m), 43262.30m, 2, 3, 0.35),
    ];
    table = new InstrumentTable(specs.Select(s => s.Instrument));
    var generator = new FrameGenerator(specs, parsed.GetValue(seedOption), depthShare, tradeShare, levels, new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero));
    var keys = specs.Select(s => s.Instrument.Key).ToArray();
    IngestBatch[] ToBatches(Segment s) => [.. s.Batches.Select(b => new IngestBatch(keys[b.Partition], b.Frames))];
    var open = generator.Opening(40, batchSize);
    opening = ToBatches(open);
    warmups = [.. Enumerable.Range(0, 2).Select(_ => ToBatches(generator.Stream(parsed.GetValue(warmupOption), batchSize)))];
    var segments = Enumerable.Range(0, rounds).Select(_ => generator.Stream(parsed.GetValue(framesOption), batchSize)).ToArray();
    measured = [.. segments.Select(ToBatches)];
    // Every bookTicker and every depth diff of a synced book changes the top it reports: each emits one feature event.
    expectedFeatures = [.. segments.Select(s => s.Count(FrameGenerator.FrameType.BookTicker) + s.Count(FrameGenerator.FrameType.Depth))];
    truth = generator.Truth();
    var first = segments[0];
    source = string.Create(CultureInfo.InvariantCulture,
        $"synthetic, seed {parsed.GetValue(seedOption)}: {string.Join(", ", keys)}; {levels} levels a side; per round {first.Frames:N0} frames, " +
        $"{first.Count(FrameGenerator.FrameType.BookTicker) * 100.0 / first.Frames:0.0}% bookTicker, {first.Count(FrameGenerator.FrameType.Depth) * 100.0 / first.Frames:0.0}% depth@100ms " +
        $"({MeanLevels(segments):0.0} levels a diff), {first.Count(FrameGenerator.FrameType.Trade) * 100.0 / first.Frames:0.0}% aggTrade; " +
        $"{first.Bytes / (double)first.Frames:0} bytes a frame on average");
}
else
{
    using var reader = CaptureReader.Open(capture);
    table = reader.Header.Instruments;
    var all = reader.Frames().ToList();
    var batches = ToCaptureBatches(all, batchSize);
    // A capture is finite and its sequence numbers fixed: each replay of it goes into a fresh handler, and a round
    // replays it as often as it takes to reach --frames (a warm-up round, --warmup).
    opening = [];
    captureFrames = all.Count;
    warmups = [batches, batches];
    measured = [.. Enumerable.Range(0, rounds).Select(_ => batches)];
    expectedFeatures = [.. Enumerable.Repeat(-1L, rounds)];
    source = string.Create(CultureInfo.InvariantCulture,
        $"capture {Path.GetFileName(capture)} ({reader.Header.Source}): {all.Count:N0} frames, {all.Sum(f => (long)f.Frame.Body.Length) / (double)Math.Max(1, all.Count):0} bytes a frame on average, {table.All.Count} instrument(s)");
}
Console.Error.WriteLine($"frames ready in {generation.Elapsed.TotalSeconds:0.0} s: {source}");

var features = new CountingFeatureSink();
var quality = new CountingQualitySink();
var snapshots = new CountingSnapshotRequester();
MarketIngestHandler NewHandler() => new(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, features, quality, snapshots);
var handler = NewHandler();
var decoder = new BinanceFrameDecoder(table);

// Warm-up: the opening (buffered diffs, then the REST snapshot of each instrument) and two rounds of every figure,
// with a pause between them for tiered compilation to finish, so books, buffers and code have reached steady state.
Ingest(handler, opening);
var warmupReplays = capture is null ? 1 : (int)Math.Max(1, (parsed.GetValue(warmupOption) + captureFrames - 1) / captureFrames);
var roundReplays = capture is null ? 1 : (int)Math.Max(1, (parsed.GetValue(framesOption) + captureFrames - 1) / captureFrames);
foreach (var warm in warmups)
{
    Replays(warm, warmupReplays);
    Thread.Sleep(500);
}
if (capture is null)
{
    var warmFaults = FrameFaults.Failures.Sum(f => handler.FaultCount(f));
    if (warmFaults > 0 || quality.Count > 0 || snapshots.Count > 0)
        throw new InvalidOperationException($"the warm-up had {warmFaults} fault(s), {quality.Count} data-quality event(s), {snapshots.Count} snapshot request(s)");
}

var scan = new List<Measurement>();
var decode = new List<Measurement>();
var ingest = new List<Measurement>();
long emitted = 0;
for (var r = 0; r < rounds; r++)
{
    var batches = measured[r];
    var featuresBefore = features.Count;
    var topBefore = features.QuoteAndBook;
    var (scanned, decoded, m) = Replays(batches, roundReplays);
    scan.Add(scanned);
    decode.Add(decoded);
    ingest.Add(m);
    var roundFeatures = features.QuoteAndBook - topBefore;
    emitted += features.Count - featuresBefore;
    if (capture is null)
    {
        if (roundFeatures != expectedFeatures[r])
            throw new InvalidOperationException($"round {r + 1}: {roundFeatures:N0} quote and book feature events, expected {expectedFeatures[r]:N0} (one per bookTicker and depth diff)");
        if (m.Faults > 0 || quality.Count > 0 || snapshots.Count > 0)
            throw new InvalidOperationException($"round {r + 1}: {m.Faults} fault(s), {quality.Count} data-quality event(s), {snapshots.Count} snapshot request(s)");
    }
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {r + 1}: scan {scan[^1].Rate:N0}/s, decode {decode[^1].Rate:N0}/s, ingest {m.Rate:N0}/s ({m.Rate / scan[^1].Rate:P0} of scan), {m.AllocatedBytes} B allocated"));
}

// The books must be what the generator's own books are: every diff chained, nothing missed.
var pipelines = handler.Pipelines;

// The synthetic set streams on into one handler; a capture is replayed into a fresh handler each time.
(Measurement Scan, Measurement Decode, Measurement Ingest) Replays(IngestBatch[] batches, int replays)
{
    var total = (Scan: new Measurement(), Decode: new Measurement(), Ingest: new Measurement());
    for (var i = 0; i < replays; i++)
    {
        if (capture is not null) handler = NewHandler();
        var (s, d, g) = Round(handler, decoder, batches, chunk);
        total = (total.Scan + s, total.Decode + d, total.Ingest + g);
    }
    return total;
}
if (truth is not null)
    foreach (var t in truth)
    {
        var p = pipelines.Single(p => p.Instrument == t.Instrument);
        var book = p.Book;
        if (!book.IsSynced || book.LastUpdateId != t.LastUpdateId || book.Bids.Count != t.Bids || book.Asks.Count != t.Asks
            || book.Bids.Best.Price != t.BestBid || book.Asks.Best.Price != t.BestAsk || p.Quality.Gaps != 0)
            throw new InvalidOperationException($"{t.Instrument.Key}: the book ({book.Bids.Count}/{book.Asks.Count} levels, {book.Bids.Best.Price}/{book.Asks.Best.Price}, synced {book.IsSynced}, {p.Quality.Gaps} gaps) is not the generator's ({t.Bids}/{t.Asks}, {t.BestBid}/{t.BestAsk})");
    }

var frames = ingest[0].Frames;
var bytes = ingest[0].Bytes;
Console.WriteLine($"# Market ingest benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical processors, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
Console.WriteLine();
Console.WriteLine($"Frames: {source}{(capture is null ? "" : $"; each round replays it {roundReplays} time(s), each into a fresh handler")}.");
Console.WriteLine($"One thread; {rounds} rounds after two warm-up rounds, each over its own frames: scan, decode and ingest take turns over every {chunk} batches of them (rotating which goes first); ingest in batches of {batchSize} frames of one partition.");
Console.WriteLine();
Console.WriteLine("| Measure | Frames | Runs | Median | Min | Max | Target | Result |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|---|---|");
Row("Utf8JsonReader scan of the frame bytes, Read() through every token (frames/s)", frames, scan.Select(m => m.Rate), "reference", null);
Row("Utf8JsonReader scan (MB/s)", frames, scan.Select(m => m.MegabytesPerSecond), "reference", null);
Row("decode only: BinanceFrameDecoder, no-op sink (frames/s)", frames, decode.Select(m => m.Rate), "–", null);
Row("full ingest: MarketIngestHandler.Handle, parse + normalize + book + features (frames/s/core)", frames, ingest.Select(m => m.Rate), "≥ 1,000,000", Median(ingest.Select(m => m.Rate)) >= 1_000_000);
Row("full ingest (MB/s)", frames, ingest.Select(m => m.MegabytesPerSecond), "–", null);
var ratio = Median(ingest.Select(m => m.Rate)) / Median(scan.Select(m => m.Rate));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| full ingest / Utf8JsonReader scan (ratio of medians) | | | {ratio:P0} | | | ≥ 40% | {(ratio >= 0.40 ? "PASS" : "FAIL")} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| decode only / Utf8JsonReader scan (ratio of medians) | | | {Median(decode.Select(m => m.Rate)) / Median(scan.Select(m => m.Rate)):P0} | | | – | |"));
AllocationRow(capture is null ? "allocated bytes per frame, full ingest, steady state" : "allocated bytes per frame, full ingest, including a fresh handler's set-up per replay", ingest, capture is null ? "0" : "–");
AllocationRow("allocated bytes per frame, decode only", decode, "0");
AllocationRow("allocated bytes per frame, Utf8JsonReader scan", scan, "–");
Console.WriteLine();
var faults = handler.Faults.Where(f => f.Value > 0).Select(f => $"{f.Key.Code()} {f.Value:N0}").ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Checks: {emitted:N0} feature events in the measured rounds ({emitted / (double)ingest.Sum(m => m.Frames):0.000} a frame{(capture is null ? ", exactly one per bookTicker and depth diff, plus one per bar close" : "")}; {features.ByTrigger[(int)FeatureTrigger.Bar]:N0} bar closes in all); " +
    $"faults: {(faults.Count == 0 ? "none" : string.Join(", ", faults))}; data-quality events {quality.Count}; snapshot requests {snapshots.Count}; " +
    $"gaps {pipelines.Sum(p => p.Quality.Gaps)}; books synced {pipelines.Count(p => p.Book.IsSynced)}/{pipelines.Count}" +
    $"{(truth is not null ? "; every book equals the generator's (levels, best bid and ask)." : ".")}"));
if (parsed.GetValue(digestOption))
{
    // Untimed: the same frames, in the same batches, into a fresh handler whose sink writes and hashes every event.
    using var log = new FeatureEventLog(null);
    var replay = new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, log, quality, snapshots);
    foreach (var set in capture is null ? [opening, .. warmups, .. measured] : new[] { measured[0] })
        foreach (var batch in set) replay.Handle(batch);
    Console.WriteLine();
    Console.WriteLine($"Feature digest: {log.Count:N0} events, FeatureEventJson {log.Sha256()}.");
}
return 0;

// One round: the three measures take turns over each chunk of batches, the first of them rotating from chunk to
// chunk, so each sees the same share of the machine's mood and of bytes still warm in cache from another's pass.
static (Measurement Scan, Measurement Decode, Measurement Ingest) Round(MarketIngestHandler handler, BinanceFrameDecoder decoder, IngestBatch[] batches, int chunk)
{
    var scan = new Measurement();
    var decode = new Measurement();
    var ingest = new Measurement();
    Settle();
    for (int start = 0, turn = 0; start < batches.Length; start += chunk, turn++)
    {
        var part = new ArraySegment<IngestBatch>(batches, start, Math.Min(chunk, batches.Length - start));
        for (var k = 0; k < 3; k++)
            switch ((turn + k) % 3)
            {
                case 0: scan += Scan(part); break;
                case 1: decode += Decode(decoder, part); break;
                default: ingest += Ingest(handler, part); break;
            }
    }
    return (scan, decode, ingest);
}

static Measurement Scan(ArraySegment<IngestBatch> batches)
{
    var (frames, bytes) = Count(batches);
    long tokens = 0;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var started = Stopwatch.GetTimestamp(); // not Stopwatch.StartNew(): that allocates inside the window
    foreach (var batch in batches)
    {
        var list = (IngestFrame[])batch.Frames;
        for (var i = 0; i < list.Length; i++)
        {
            var reader = new Utf8JsonReader(list[i].Body.Span);
            while (reader.Read()) tokens++;
        }
    }
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    if (tokens == 0) throw new InvalidOperationException("no tokens");
    return new Measurement(frames, bytes, elapsed, allocated, 0);
}

static Measurement Decode(BinanceFrameDecoder decoder, ArraySegment<IngestBatch> batches)
{
    var (frames, bytes) = Count(batches);
    var sink = NoopMarketSink.Instance;
    long faults = 0;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var started = Stopwatch.GetTimestamp();
    foreach (var batch in batches)
    {
        var list = (IngestFrame[])batch.Frames;
        for (var i = 0; i < list.Length; i++)
            if (decoder.Decode(list[i].Header, list[i].Body.Span, sink) != FrameFault.None) faults++;
    }
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    return new Measurement(frames, bytes, elapsed, allocated, faults);
}

static Measurement Ingest(MarketIngestHandler handler, ArraySegment<IngestBatch> batches)
{
    var (frames, bytes) = Count(batches);
    long dropped = 0;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var started = Stopwatch.GetTimestamp();
    foreach (var batch in batches) dropped += handler.Handle(batch).Dropped;
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    return new Measurement(frames, bytes, elapsed, allocated, dropped);
}

static (long Frames, long Bytes) Count(ArraySegment<IngestBatch> batches)
    => (batches.Sum(b => (long)b.Frames.Count), batches.Sum(b => b.Frames.Sum(f => (long)f.Body.Length)));

static void Settle()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

static double MeanLevels(Segment[] segments)
{
    long levels = 0, diffs = 0;
    foreach (var s in segments)
        foreach (var b in s.Batches)
            for (var i = 0; i < b.Frames.Length; i++)
            {
                if (b.Types[i] != FrameGenerator.FrameType.Depth) continue;
                diffs++;
                var reader = new Utf8JsonReader(b.Frames[i].Body.Span);
                var depth = 0;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.StartArray && ++depth == 2) levels++;
                    else if (reader.TokenType == JsonTokenType.EndArray) depth--;
                }
            }
    return diffs == 0 ? 0 : levels / (double)diffs;
}

static IngestBatch[] ToCaptureBatches(List<CapturedFrame> frames, int batchSize)
{
    var open = new Dictionary<string, List<IngestFrame>>(StringComparer.Ordinal);
    var batches = new List<IngestBatch>();
    foreach (var (partition, frame) in frames)
    {
        if (!open.TryGetValue(partition, out var list)) open[partition] = list = [];
        list.Add(frame);
        if (list.Count == batchSize) { batches.Add(new IngestBatch(partition, list.ToArray())); list.Clear(); }
    }
    foreach (var (partition, list) in open) if (list.Count > 0) batches.Add(new IngestBatch(partition, list.ToArray()));
    return [.. batches];
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Row(string measure, long n, IEnumerable<double> values, string target, bool? met)
{
    var list = values.ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {measure} | {n:N0} | {list.Count} | {Median(list):N0} | {list.Min():N0} | {list.Max():N0} | {target} | {(met is { } m ? m ? "PASS" : "FAIL" : "")} |"));
}

static void AllocationRow(string measure, List<Measurement> runs, string target)
{
    var frames = runs.Sum(m => m.Frames);
    var bytes = runs.Sum(m => m.AllocatedBytes);
    var perFrame = runs.Select(m => (double)m.AllocatedBytes / m.Frames).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {measure} ({bytes:N0} B over {frames:N0} frames) | {runs[0].Frames:N0} | {runs.Count} | {Median(perFrame):0.###} | {perFrame.Min():0.###} | {perFrame.Max():0.###} | {target} | {(target == "0" ? bytes == 0 ? "PASS" : "FAIL" : "")} |"));
}

internal readonly record struct Measurement(long Frames, long Bytes, double Seconds, long AllocatedBytes, long Faults)
{
    public static Measurement operator +(Measurement a, Measurement b)
        => new(a.Frames + b.Frames, a.Bytes + b.Bytes, a.Seconds + b.Seconds, a.AllocatedBytes + b.AllocatedBytes, a.Faults + b.Faults);

    public double Rate => Frames / Seconds;
    public double MegabytesPerSecond => Bytes / Seconds / 1e6;
}

internal sealed class CountingFeatureSink : IFeatureSink
{
    public long Count;
    public long Checksum;
    public readonly long[] ByTrigger = new long[3];

    public long QuoteAndBook => ByTrigger[(int)FeatureTrigger.Quote] + ByTrigger[(int)FeatureTrigger.Book];

    public void OnFeatures(in FeatureEvent features)
    {
        Count++;
        ByTrigger[(int)features.Trigger]++;
        Checksum += features.UpdateId;
    }
}

internal sealed class CountingQualitySink : IDataQualitySink
{
    public long Count;
    public void OnDataQuality(DataQualityEvent e) => Count++;
}

internal sealed class CountingSnapshotRequester : ISnapshotRequester
{
    public long Count;
    public void RequestSnapshot(string instrumentKey, string reason) => Count++;
}

internal sealed class NoopMarketSink : IMarketEventSink
{
    public static readonly NoopMarketSink Instance = new();
    public void OnQuote(in Quote quote) { }
    public void OnBookDelta(in BookDelta delta) { }
    public void OnBookSnapshot(in BookSnapshot snapshot) { }
    public void OnTrade(in Trade trade) { }
    public void OnMarkPrice(in MarkPrice markPrice) { }
}
