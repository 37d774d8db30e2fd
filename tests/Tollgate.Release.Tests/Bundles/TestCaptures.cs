using System.Globalization;
using System.Text;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Release.Bundles;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>
/// Small captures for the bundle tests, written to temp files by the market plane's own <see cref="CaptureWriter"/>,
/// with frames in Binance's documented shapes (prices and quantities as strings), read back through Binance's decoder.
/// </summary>
internal static class TestCaptures
{
    public static readonly Instrument SpotBtc = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    public static readonly Instrument FutBtc = new(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m);
    public static InstrumentTable Exchange { get; } = new([SpotBtc, FutBtc]);
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static SimulationCapture Load(string path) => SimulationCapture.Load(path, table => new BinanceFrameDecoder(table));

    /// <summary>
    /// One spot bookTicker per second on SPOT:BTCUSDT around a mid of exactly 1000, with the given spreads in bps (each a
    /// multiple of 0.2, so bid and ask are on the 0.01 tick): quote n has update id n + 1 and spread_bps exactly
    /// <paramref name="spreadsBps"/>[n]. Spot quotes carry no exchange time, so the strategy's clock is the receive time.
    /// No depth book, hence no imbalance: rules on these tapes test spread_bps.
    /// </summary>
    public static async Task<string> QuoteTapeAsync(string folder, string name, IReadOnlyList<decimal> spreadsBps)
    {
        var frames = new List<(Instrument, FrameKind, DateTimeOffset, string)>();
        for (var n = 0; n < spreadsBps.Count; n++)
        {
            var half = spreadsBps[n] / 20m; // spread = bps × mid / 10⁴ = bps / 10; half of it each side
            if (half % SpotBtc.TickSize != 0) throw new ArgumentException($"{spreadsBps[n]} bps is not on the tick at mid 1000");
            frames.Add((SpotBtc, FrameKind.Stream, Start.AddSeconds(n), BookTicker(SpotBtc, n + 1, 1000m - half, 1m, 1000m + half, 1m)));
        }
        return await WriteAsync(folder, name, frames);
    }

    /// <summary>
    /// A seeded market on both instruments: a REST snapshot each, then depth diffs (100 ms apart, alternating) of a
    /// five-level book whose mid walks, whose depth leans bid- or ask-heavy by a slowly drifting skew, and whose spread
    /// is a few ticks most of the time and 20-40 bps in wide spells, as a thin market has.
    /// </summary>
    public static async Task<string> MarketAsync(string folder, string name, int diffsPerInstrument, int seed)
    {
        var random = new Random(seed);
        var books = new[] { new SyntheticBook(SpotBtc, 65_000m, random), new SyntheticBook(FutBtc, 65_010m, random) };
        var frames = new List<(Instrument, FrameKind, DateTimeOffset, string)>();
        foreach (var book in books) frames.Add((book.Instrument, FrameKind.DepthSnapshot, Start, book.Snapshot()));
        var at = Start;
        for (var i = 0; i < diffsPerInstrument; i++)
            foreach (var book in books)
            {
                at = at.AddMilliseconds(100);
                frames.Add((book.Instrument, FrameKind.Stream, at, book.Step(at)));
            }
        return await WriteAsync(folder, name, frames);
    }

    private static async Task<string> WriteAsync(string folder, string name, List<(Instrument Instrument, FrameKind Kind, DateTimeOffset At, string Body)> frames)
    {
        var path = Path.Combine(folder, name);
        var sequence = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var writer = new CaptureWriter(File.Create(path), new CaptureHeader("bundle tests", Start, Exchange));
        foreach (var (instrument, kind, at, body) in frames)
        {
            var seq = sequence.GetValueOrDefault(instrument.Key);
            sequence[instrument.Key] = seq + 1;
            var header = new FrameHeader(instrument.Market, kind, kind == FrameKind.DepthSnapshot ? instrument.Symbol : null, at.AddMilliseconds(3));
            await writer.WriteAsync(instrument.Key, new IngestFrame(seq, header.ReceivedAt, header, Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        }
        return path;
    }

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Envelope(Instrument instrument, string stream, string data) => $"{{\"stream\":\"{instrument.Symbol.ToLowerInvariant()}@{stream}\",\"data\":{data}}}";

    private static string BookTicker(Instrument instrument, long updateId, decimal bid, decimal bidQty, decimal ask, decimal askQty) =>
        Envelope(instrument, "bookTicker", $"{{\"u\":{updateId},\"s\":\"{instrument.Symbol}\",\"b\":\"{D(bid)}\",\"B\":\"{D(bidQty)}\",\"a\":\"{D(ask)}\",\"A\":\"{D(askQty)}\"}}");

    private static string Levels(IEnumerable<(decimal Price, decimal Qty)> levels) => "[" + string.Join(",", levels.Select(l => $"[\"{D(l.Price)}\",\"{D(l.Qty)}\"]")) + "]";

    /// <summary>One instrument's book in the generated market: five levels a side, rebuilt each step and sent as the diff from the last.</summary>
    private sealed class SyntheticBook(Instrument instrument, decimal startMid, Random random)
    {
        private const int Depth = 5;
        private decimal mid = startMid;
        private double skew;
        private int wideFor;
        private long updateId = 1_000;
        private Dictionary<decimal, decimal> bids = [], asks = [];

        public Instrument Instrument { get; } = instrument;

        public string Snapshot()
        {
            (bids, asks) = Build();
            var futures = Instrument.Market == MarketKind.Futures ? $",\"E\":{Start.ToUnixTimeMilliseconds()},\"T\":{Start.ToUnixTimeMilliseconds() - 1}" : "";
            return $"{{\"lastUpdateId\":{updateId}{futures},\"bids\":{Levels(bids.OrderByDescending(l => l.Key).Select(l => (l.Key, l.Value)))},\"asks\":{Levels(asks.OrderBy(l => l.Key).Select(l => (l.Key, l.Value)))}}}";
        }

        public string Step(DateTimeOffset at)
        {
            if (wideFor > 0) wideFor--;
            else if (random.NextDouble() < 0.02) wideFor = 20 + random.Next(40);
            mid += (random.Next(7) - 3) * Instrument.TickSize * 5;
            skew = Math.Clamp(0.85 * skew + (random.NextDouble() - 0.5) * 0.5, -0.8, 0.8);
            var (newBids, newAsks) = Build();
            var previous = updateId++;
            var e = at.ToUnixTimeMilliseconds();
            var futures = Instrument.Market == MarketKind.Futures;
            var data = $"{{\"e\":\"depthUpdate\",\"E\":{e},{(futures ? $"\"T\":{e - 1}," : "")}\"s\":\"{Instrument.Symbol}\",\"U\":{updateId},\"u\":{updateId},{(futures ? $"\"pu\":{previous}," : "")}"
                + $"\"b\":{Levels(Diff(bids, newBids).OrderByDescending(l => l.Price))},\"a\":{Levels(Diff(asks, newAsks).OrderBy(l => l.Price))}}}";
            (bids, asks) = (newBids, newAsks);
            return Envelope(Instrument, "depth@100ms", data);
        }

        private (Dictionary<decimal, decimal> Bids, Dictionary<decimal, decimal> Asks) Build()
        {
            var tick = Instrument.TickSize;
            var halfSpreadTicks = wideFor > 0 ? (int)(mid * (10 + random.Next(11)) / 10_000m / tick) : 1 + random.Next(2);
            var center = Math.Round(mid / tick) * tick;
            var gap = wideFor > 0 ? 1 + halfSpreadTicks / 10 : 1;
            var newBids = new Dictionary<decimal, decimal>();
            var newAsks = new Dictionary<decimal, decimal>();
            for (var level = 0; level < Depth; level++)
            {
                newBids[center - (halfSpreadTicks + level * gap) * tick] = Quantity(1 + skew);
                newAsks[center + (halfSpreadTicks + level * gap) * tick] = Quantity(1 - skew);
            }
            return (newBids, newAsks);
        }

        /// <summary>Thousandths of a coin, 0.02-0.22 times the side's weight, at least one thousandth.</summary>
        private decimal Quantity(double weight) => Math.Max(1, (int)((20 + random.Next(200)) * weight)) / 1000m;

        private static IEnumerable<(decimal Price, decimal Qty)> Diff(Dictionary<decimal, decimal> old, Dictionary<decimal, decimal> now) =>
            now.Select(l => (l.Key, l.Value)).Concat(old.Keys.Where(p => !now.ContainsKey(p)).Select(p => (p, 0m)));
    }
}
