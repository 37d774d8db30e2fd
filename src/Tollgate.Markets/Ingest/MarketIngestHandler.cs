using System.Collections.Concurrent;
using Tollgate.Markets.Events;
using Tollgate.Markets.Features;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Markets.Ingest;

/// <summary>What one batch did.</summary>
/// <param name="Duplicates">Frames at or below the partition's high-water sequence number: delivered before, skipped.</param>
/// <param name="Dropped">Frames with a <see cref="FrameFault"/> (counted per fault in <see cref="MarketIngestHandler.Faults"/>).</param>
/// <param name="Control">Frames with no market data (subscription acknowledgements).</param>
public readonly record struct IngestResult(int Frames, int Decoded, int Duplicates, int Dropped, int Control, long HighWaterSequence);

/// <summary>
/// The market ingest function (seed 002 S1 → S2): takes a batch of raw exchange frames of one partition, in the shape
/// the Functions Event Hubs trigger delivers with cardinality many, decodes each, keeps every instrument's book and
/// features, and emits <see cref="FeatureEvent"/>s. It is idempotent per (partition, sequence number): a partition's
/// high-water mark moves only forward, and a redelivered frame is skipped, so an at-least-once delivery changes
/// nothing. The same handler runs in Azure (Event Hubs), in the standalone host (partitioned channels fed by the
/// connector), in <c>tollgate market replay</c> (a capture) and in tests, with the same results for the same frames.
/// </summary>
/// <remarks>
/// Batches of one partition must not run concurrently (Event Hubs and the standalone channels guarantee it; the
/// handler also locks the partition). Different partitions run in parallel. The handler allocates nothing per
/// frame once every instrument has been seen and its buffers have grown to their working size.
/// </remarks>
public sealed class MarketIngestHandler
{
    private readonly InstrumentTable instruments;
    private readonly Func<IFrameDecoder> newDecoder;
    private readonly FeatureConfig config;
    private readonly IFeatureSink features;
    private readonly IDataQualitySink? quality;
    private readonly ISnapshotRequester? snapshots;
    private readonly IMarketEventSink? normalized;
    private readonly ConcurrentDictionary<string, Partition> partitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Instrument, InstrumentPipeline> pipelines = new(ReferenceEqualityComparer.Instance);
    private readonly long[] faults = new long[Enum.GetValues<FrameFault>().Length];

    public MarketIngestHandler(InstrumentTable instruments, Func<IFrameDecoder> newDecoder, FeatureConfig config, IFeatureSink features,
        IDataQualitySink? quality = null, ISnapshotRequester? snapshots = null, IMarketEventSink? normalized = null)
    {
        this.instruments = instruments;
        this.newDecoder = newDecoder;
        this.config = config;
        this.features = features;
        this.quality = quality;
        this.snapshots = snapshots;
        this.normalized = normalized;
    }

    public InstrumentTable Instruments => instruments;
    public FeatureConfig Config => config;

    /// <summary>Frames dropped so far, by fault (index = <see cref="FrameFault"/>).</summary>
    public long FaultCount(FrameFault fault) => Interlocked.Read(ref faults[(int)fault]);

    public IReadOnlyDictionary<FrameFault, long> Faults => FrameFaults.Failures.ToDictionary(f => f, FaultCount);

    /// <summary>The pipelines seen so far, in instrument key order.</summary>
    public IReadOnlyList<InstrumentPipeline> Pipelines => [.. pipelines.Values.OrderBy(p => p.Instrument.Key, StringComparer.Ordinal)];

    public long FramesSeen => partitions.Values.Sum(p => Interlocked.Read(ref p.Seen));
    public long Duplicates => partitions.Values.Sum(p => Interlocked.Read(ref p.DuplicateCount));

    /// <summary>Runs <paramref name="read"/> on an instrument's pipeline while its partition is not ingesting, so what it reads is consistent.</summary>
    public T? Inspect<T>(Instrument instrument, Func<InstrumentPipeline, T> read)
    {
        if (!pipelines.TryGetValue(instrument, out var pipeline)) return default;
        var partition = partitions[pipeline.PartitionId];
        lock (partition) return read(pipeline);
    }

    /// <summary>Counts a frame dropped before it reached the handler (its stream properties were unreadable).</summary>
    public void CountDropped(FrameFault fault)
    {
        Interlocked.Increment(ref faults[(int)fault]);
        MarketMetrics.Frames.Add(1, new KeyValuePair<string, object?>("outcome", fault.Code()));
    }

    public IngestResult Handle(IngestBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!partitions.TryGetValue(batch.PartitionId, out var partition))
            partition = partitions.GetOrAdd(batch.PartitionId, new Partition(this, batch.PartitionId, newDecoder()));
        lock (partition) return partition.Handle(batch.Frames);
    }

    /// <summary>One partition's decoder (with its reusable buffers), high-water mark, and the sink that routes its events.</summary>
    private sealed class Partition(MarketIngestHandler owner, string id, IFrameDecoder decoder) : IMarketEventSink
    {
        public long HighWater = -1;
        public long Seen, DuplicateCount;
        private readonly long[] batchFaults = new long[owner.faults.Length];
        private bool misrouted;

        public IngestResult Handle(IReadOnlyList<IngestFrame> frames)
        {
            int decoded = 0, duplicates = 0, dropped = 0, control = 0;
            Array.Clear(batchFaults);
            for (var i = 0; i < frames.Count; i++)
            {
                var frame = frames[i];
                if (frame.SequenceNumber <= HighWater) { duplicates++; continue; }
                HighWater = frame.SequenceNumber;
                misrouted = false;
                var fault = decoder.Decode(frame.Header, frame.Body.Span, this);
                if (misrouted) fault = FrameFault.Schema;
                switch (fault)
                {
                    case FrameFault.None: decoded++; break;
                    case FrameFault.Control: control++; break;
                    default: dropped++; batchFaults[(int)fault]++; break;
                }
            }
            Interlocked.Add(ref Seen, frames.Count);
            Interlocked.Add(ref DuplicateCount, duplicates);
            for (var f = 0; f < batchFaults.Length; f++)
                if (batchFaults[f] > 0)
                {
                    Interlocked.Add(ref owner.faults[f], batchFaults[f]);
                    MarketMetrics.Frames.Add(batchFaults[f], new KeyValuePair<string, object?>("outcome", ((FrameFault)f).Code()));
                }
            if (decoded > 0) MarketMetrics.Frames.Add(decoded, new KeyValuePair<string, object?>("outcome", "decoded"));
            if (duplicates > 0) MarketMetrics.Frames.Add(duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
            return new IngestResult(frames.Count, decoded, duplicates, dropped, control, HighWater);
        }

        private InstrumentPipeline? lastRouted;

        private InstrumentPipeline? Route(Instrument instrument)
        {
            // Consecutive frames are mostly of one instrument (a partition is one, standalone).
            if (lastRouted is { } last && ReferenceEquals(last.Instrument, instrument)) return last;
            // TryGetValue first: GetOrAdd's factory would allocate a closure per event.
            if (!owner.pipelines.TryGetValue(instrument, out var pipeline))
                pipeline = owner.pipelines.GetOrAdd(instrument, new InstrumentPipeline(instrument, id, owner.config, owner.features, owner.quality, owner.snapshots));
            // An instrument lives on one partition; a frame of it elsewhere would race its book, so it is refused.
            if (pipeline.PartitionId == id) return lastRouted = pipeline;
            misrouted = true;
            return null;
        }

        public void OnQuote(in Quote quote)
        {
            if (Route(quote.Instrument) is not { } p) return;
            p.OnQuote(quote);
            owner.normalized?.OnQuote(quote);
        }

        public void OnBookDelta(in BookDelta delta)
        {
            if (Route(delta.Instrument) is not { } p) return;
            p.OnBookDelta(delta);
            owner.normalized?.OnBookDelta(delta);
        }

        public void OnBookSnapshot(in BookSnapshot snapshot)
        {
            if (Route(snapshot.Instrument) is not { } p) return;
            p.OnBookSnapshot(snapshot);
            owner.normalized?.OnBookSnapshot(snapshot);
        }

        public void OnTrade(in Trade trade)
        {
            if (Route(trade.Instrument) is not { } p) return;
            p.OnTrade(trade);
            owner.normalized?.OnTrade(trade);
        }

        public void OnMarkPrice(in MarkPrice markPrice)
        {
            if (Route(markPrice.Instrument) is not { } p) return;
            p.OnMarkPrice(markPrice);
            owner.normalized?.OnMarkPrice(markPrice);
        }
    }
}
