using System.Text;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Host.Tests.Markets;

/// <summary>
/// <c>tollgate market slice</c> (CaptureSlice) on a hand-built capture in the order the host really captures: a depth
/// snapshot is published when its REST answer arrives, so updates the exchange made after the snapshot was taken can
/// be in the capture before it. A slice must keep them, or its replay never syncs.
/// </summary>
public sealed class MarketSliceTests
{
    private static readonly Instrument Spot = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);

    private static string Depth(long first, long final, decimal bidPrice, decimal bidQty)
        => $"{{\"stream\":\"btcusdt@depth@100ms\",\"data\":{{\"e\":\"depthUpdate\",\"E\":{T0.ToUnixTimeMilliseconds()},\"s\":\"BTCUSDT\",\"U\":{first},\"u\":{final},"
           + $"\"b\":[[\"{bidPrice}\",\"{bidQty}\"]],\"a\":[]}}}}";

    private static string Snapshot(long lastUpdateId, decimal bidQty)
        => $"{{\"lastUpdateId\":{lastUpdateId},\"bids\":[[\"65000.00\",\"{bidQty}\"]],\"asks\":[[\"65001.00\",\"1.00000\"]]}}";

    /// <summary>Deltas 101, 102, 103; the snapshot at 102 arrives after delta 103; then 104 and 105, one every 100 ms.</summary>
    private static async Task<string> WriteCaptureAsync(string folder)
    {
        var path = Path.Combine(folder, "capture.jsonl.gz");
        var frames = new (FrameKind Kind, string Body)[]
        {
            (FrameKind.Stream, Depth(101, 101, 65000.00m, 1.1m)),
            (FrameKind.Stream, Depth(102, 102, 65000.00m, 1.2m)),
            (FrameKind.Stream, Depth(103, 103, 64999.99m, 0.3m)), // received while the snapshot request was in flight
            (FrameKind.DepthSnapshot, Snapshot(102, 1.2m)),
            (FrameKind.Stream, Depth(104, 104, 65000.00m, 1.4m)),
            (FrameKind.Stream, Depth(105, 105, 64999.98m, 0.5m)),
        };
        await using var writer = new CaptureWriter(File.Create(path), new CaptureHeader("test", T0, new InstrumentTable([Spot])));
        for (var i = 0; i < frames.Length; i++)
        {
            var at = T0.AddMilliseconds(100 * i);
            var header = new FrameHeader(MarketKind.Spot, frames[i].Kind, frames[i].Kind == FrameKind.DepthSnapshot ? "BTCUSDT" : null, at);
            await writer.WriteAsync(Spot.Key, new IngestFrame(i, at, header, Encoding.UTF8.GetBytes(frames[i].Body)), CancellationToken.None);
        }
        return path;
    }

    private static async Task<Tollgate.Markets.Books.OrderBook> ReplayAsync(string capture)
    {
        using var reader = CaptureReader.Open(capture);
        var table = reader.Header.Instruments;
        var handler = new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, new FeatureEventLog(null));
        await new CaptureReplay(handler, TimeProvider.System).RunAsync(reader.Frames(), ReplaySpeed.Max, null, CancellationToken.None);
        return handler.Pipelines.Single().Book;
    }

    [Fact]
    public async Task A_slice_after_a_snapshot_keeps_the_updates_captured_before_it_that_it_does_not_cover()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tollgate-slice-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var capture = await WriteCaptureAsync(folder);
            var full = await ReplayAsync(capture);
            Assert.True(full.IsSynced);
            Assert.Equal(105, full.LastUpdateId);

            // The window starts after the snapshot (at delta 104).
            var slice = Path.Combine(folder, "slice.jsonl.gz");
            await CaptureSlice.WriteAsync(capture, T0.AddMilliseconds(400), T0.AddSeconds(10), File.Create(slice), CancellationToken.None);
            var sliced = await ReplayAsync(slice);
            Assert.True(sliced.IsSynced, "the slice's replay is out of sync: delta 103 (after the snapshot's 102, captured before it) was cut");
            Assert.Equal(105, sliced.LastUpdateId);
            Assert.Equal(full.Bids.Count, sliced.Bids.Count);
            for (var i = 0; i < full.Bids.Count; i++) Assert.Equal(full.Bids[i], sliced.Bids[i]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
