using System.Text;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Ingest;

/// <summary>The handler is idempotent per (partition, sequence number), and partitions are independent.</summary>
public sealed class IdempotencyTests
{
    private static readonly DateTimeOffset T0 = DefaultTime;

    /// <summary>One partition carrying two instruments: snapshots, chained deltas, quotes and trades, in sequence.</summary>
    private static List<IngestFrame> PartitionFrames(int start = 0)
    {
        var bodies = new List<(FrameHeader, string)>();
        var t = T0;
        FrameHeader S(DateTimeOffset at) => new(Tollgate.Markets.Instruments.MarketKind.Spot, FrameKind.Stream, null, at);
        FrameHeader Snap(string symbol, DateTimeOffset at) => new(Tollgate.Markets.Instruments.MarketKind.Spot, FrameKind.DepthSnapshot, symbol, at);
        bodies.Add((S(t), DepthUpdate(SpotBtcUsdt, 99, 101, null, L((100m, 1m)), L((101m, 1m)), t)));
        bodies.Add((S(t), DepthUpdate(SpotEthUsdt, 9, 11, null, L((3000m, 1m)), L((3001m, 1m)), t)));
        bodies.Add((Snap("BTCUSDT", t), Snapshot(100, L((100m, 2m), (99m, 1m)), L((101m, 2m), (102m, 1m)))));
        bodies.Add((Snap("ETHUSDT", t), Snapshot(10, L((3000m, 2m)), L((3001m, 2m)))));
        var id = 101L;
        for (var i = 0; i < 40; i++)
        {
            t = t.AddSeconds(7);
            bodies.Add((S(t), DepthUpdate(SpotBtcUsdt, id + 1, id + 2, null, L((100m - i % 3, 1m + i)), L((101m + i % 4, 0.5m + i)), t)));
            id += 2;
            bodies.Add((S(t), BookTicker(SpotEthUsdt, 20 + i, 3000m + i % 5, 1m, 3001m + i % 5, 2m)));
            bodies.Add((S(t), AggTrade(SpotBtcUsdt, i, 100m + i % 7, 0.1m, i, i, t)));
        }
        return [.. bodies.Select((b, i) => new IngestFrame(start + i, b.Item1.ReceivedAt, b.Item1, Encoding.UTF8.GetBytes(b.Item2)))];
    }

    private static (MarketIngestHandler Handler, FeatureRecorder Features) NewHandler()
    {
        var features = new FeatureRecorder();
        var config = new FeatureConfig(barSeconds: 60, atrPeriod: 2, volatilityBars: 2);
        return (new MarketIngestHandler(Table, () => new BinanceFrameDecoder(Table), config, features), features);
    }

    private static string Books(MarketIngestHandler h) => string.Join("\n", h.Pipelines.Select(p => $"{p.Instrument.Key} {BookImage.Of(p.Book)} {p.LastQuote} {p.LastTrade} {p.Bars.Atr}"));

    [Fact]
    public void Redelivered_overlapping_batches_give_the_same_features_and_books()
    {
        var frames = PartitionFrames();
        var (once, onceFeatures) = NewHandler();
        foreach (var chunk in frames.Chunk(16)) once.Handle(new IngestBatch("0", chunk));

        var (again, againFeatures) = NewHandler();
        var duplicates = 0;
        var delivered = 0;
        var random = new Random(7);
        while (delivered < frames.Count)
        {
            // Each batch restarts somewhere at or before the end of what was delivered: an at-least-once redelivery.
            var from = Math.Max(0, delivered - random.Next(0, 12));
            var to = Math.Min(frames.Count, delivered + random.Next(1, 20));
            var result = again.Handle(new IngestBatch("0", frames[from..to]));
            Assert.Equal(delivered - from, result.Duplicates);
            Assert.Equal(to - 1, result.HighWaterSequence);
            duplicates += delivered - from;
            delivered = to;
        }
        var replay = again.Handle(new IngestBatch("0", frames)); // the whole partition again
        Assert.Equal(frames.Count, replay.Duplicates);
        Assert.Equal(0, replay.Decoded);

        Assert.Equal(onceFeatures.Events, againFeatures.Events);
        Assert.NotEmpty(onceFeatures.Events);
        Assert.Equal(Books(once), Books(again));
        Assert.Equal(duplicates + frames.Count, again.Duplicates);
        Assert.Equal(0, once.Duplicates);
    }

    [Fact]
    public void Partitions_keep_their_own_sequence_numbers()
    {
        var (handler, features) = NewHandler();
        var spot = PartitionFrames().Where(f => Encoding.UTF8.GetString(f.Body.Span).Contains("btcusdt") || Encoding.UTF8.GetString(f.Body.Span).Contains("\"lastUpdateId\":100"))
            .Select((f, i) => f with { SequenceNumber = i }).ToList();
        var eth = PartitionFrames().Where(f => Encoding.UTF8.GetString(f.Body.Span).Contains("ethusdt") || Encoding.UTF8.GetString(f.Body.Span).Contains("\"lastUpdateId\":10,"))
            .Select((f, i) => f with { SequenceNumber = i }).ToList();
        Assert.Equal(0, handler.Handle(new IngestBatch("a", spot)).Duplicates);
        var r = handler.Handle(new IngestBatch("b", eth)); // the same sequence numbers on another partition are new
        Assert.Equal(0, r.Duplicates);
        Assert.Equal(eth.Count, r.Decoded);
        Assert.Equal(spot.Count, handler.Handle(new IngestBatch("a", spot)).Duplicates);
        Assert.Equal("a", handler.Pipelines.Single(p => p.Instrument == SpotBtcUsdt).PartitionId);
        Assert.Equal("b", handler.Pipelines.Single(p => p.Instrument == SpotEthUsdt).PartitionId);
        Assert.True(handler.Pipelines.All(p => p.Book.IsSynced));
    }

    [Fact]
    public void A_frame_of_an_instrument_on_another_partition_is_refused_and_changes_nothing()
    {
        var rig = new Rig();
        rig.SyncBook(SpotBtcUsdt, 100, L((100m, 1m)), L((101m, 1m)));
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 1, 100.5m, 1m, 1, 1, T0));
        var before = RigState.Of(rig);
        var schema = rig.Handler.FaultCount(FrameFault.Schema);
        foreach (var body in new[] { DepthUpdate(SpotBtcUsdt, 102, 103, null, L((100m, 0m)), None), BookTicker(SpotBtcUsdt, 900, 1m, 1m, 2m, 1m),
            AggTrade(SpotBtcUsdt, 2, 100.6m, 1m, 2, 2, T0.AddMinutes(3)) })
        {
            var result = rig.Stream(SpotBtcUsdt, body, partition: "elsewhere");
            Assert.Equal(1, result.Dropped);
        }
        var snapshot = rig.Snapshot(SpotBtcUsdt, Snapshot(500, L((1m, 1m)), L((2m, 1m))), partition: "elsewhere");
        Assert.Equal(1, snapshot.Dropped);
        Assert.Equal(schema + 4, rig.Handler.FaultCount(FrameFault.Schema));
        Assert.Equal(before, RigState.Of(rig));
        Assert.Equal(SpotBtcUsdt.Key, rig.Pipeline(SpotBtcUsdt).PartitionId);
    }

    [Fact]
    public void A_control_frame_is_neither_decoded_nor_a_failure()
    {
        var rig = new Rig();
        var result = rig.Frame("0", new FrameHeader(Tollgate.Markets.Instruments.MarketKind.Spot, FrameKind.Stream, null, rig.Now), Encoding.UTF8.GetBytes("""{"result":null,"id":1}"""));
        Assert.Equal((1, 0, 0, 1), (result.Frames, result.Decoded, result.Dropped, result.Control));
        Assert.All(FrameFaults.Failures, f => Assert.Equal(0, rig.Handler.FaultCount(f)));
    }
}
