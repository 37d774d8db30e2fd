using System.Text;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Tests.Support;

/// <summary>
/// A <see cref="MarketIngestHandler"/> with the Binance decoder and recording sinks, fed one frame per batch with
/// sequence numbers that rise per partition. By default an instrument's frames go to the partition named by its key,
/// as the connector publishes them.
/// </summary>
public sealed class Rig
{
    private readonly Dictionary<string, long> nextSequence = new(StringComparer.Ordinal);

    public Rig(FeatureConfig? config = null, InstrumentTable? instruments = null)
    {
        Handler = new MarketIngestHandler(instruments ?? TestInstruments.Table, () => new BinanceFrameDecoder(instruments ?? TestInstruments.Table),
            config ?? FeatureConfig.Default, Features, Quality, Snapshots, Normalized);
    }

    public MarketIngestHandler Handler { get; }
    public FeatureRecorder Features { get; } = new();
    public QualityRecorder Quality { get; } = new();
    public SnapshotRequestRecorder Snapshots { get; } = new();
    public EventRecorder Normalized { get; } = new();

    /// <summary>The receive time of the next frame; tests move it.</summary>
    public DateTimeOffset Now { get; set; } = Frames.DefaultTime.AddMilliseconds(50);

    public IngestResult Stream(Instrument instrument, string body, string? partition = null)
        => Frame(partition ?? instrument.Key, new FrameHeader(instrument.Market, FrameKind.Stream, null, Now), Encoding.UTF8.GetBytes(body));

    public IngestResult Snapshot(Instrument instrument, string body, string? partition = null)
        => Frame(partition ?? instrument.Key, new FrameHeader(instrument.Market, FrameKind.DepthSnapshot, instrument.Symbol, Now), Encoding.UTF8.GetBytes(body));

    public IngestResult Frame(string partition, FrameHeader header, byte[] body)
    {
        var sequence = nextSequence.GetValueOrDefault(partition);
        nextSequence[partition] = sequence + 1;
        return Handler.Handle(new IngestBatch(partition, [new IngestFrame(sequence, header.ReceivedAt, header, body)]));
    }

    public InstrumentPipeline Pipeline(Instrument instrument)
        => Handler.Pipelines.Single(p => ReferenceEquals(p.Instrument, instrument));

    public BookImage Book(Instrument instrument) => BookImage.Of(Pipeline(instrument).Book);

    /// <summary>Syncs <paramref name="instrument"/>'s book: a snapshot at <paramref name="lastUpdateId"/>, then one delta straddling it.</summary>
    public void SyncBook(Instrument instrument, long lastUpdateId, (decimal, decimal)[] bids, (decimal, decimal)[] asks)
    {
        var futures = instrument.Market == MarketKind.Futures;
        Stream(instrument, Frames.DepthUpdate(instrument, lastUpdateId - 2, lastUpdateId + 1, futures ? lastUpdateId - 3 : null, Frames.None, Frames.None));
        Snapshot(instrument, Frames.Snapshot(lastUpdateId, bids, asks, futures));
        var book = Pipeline(instrument).Book;
        Assert.True(book.IsSynced, $"{instrument.Key} did not sync");
        Assert.Equal(lastUpdateId + 1, book.LastUpdateId);
    }
}
