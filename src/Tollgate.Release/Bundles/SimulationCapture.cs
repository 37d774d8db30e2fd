using System.Security.Cryptography;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>Which capture a report was computed on: the SHA-256 of its bytes (so a recomputation can be pinned to them), its header's source, and what the pass read.</summary>
public sealed record CaptureSummary(string Sha256, string Source, long Frames, long FeatureEvents);

/// <summary>
/// A recorded market capture (the format <see cref="CaptureFormat"/> describes and <c>tollgate paper run</c> reads) as
/// simulations replay it. The compressed bytes are held in memory, so every pass reads exactly the bytes
/// <see cref="Sha256"/> names, even if the file changes meanwhile. Frames are decoded by the market plane's decoder
/// (the caller supplies it: Tollgate.Release does not depend on the Binance client) into feature events as
/// <see cref="PaperReplay"/> does, one frame at a time in capture order, so a simulation sees the events the paper
/// path sees. The capture's clock is its frames' receive times; nothing reads the wall clock.
/// </summary>
public sealed class SimulationCapture
{
    private readonly byte[] bytes;
    private readonly Func<InstrumentTable, IFrameDecoder> decoderFor;

    /// <param name="capture">The capture file's bytes.</param>
    /// <param name="decoderFor">The frame decoder for the capture's instruments (the host and the CLI pass Binance's).</param>
    /// <param name="features">The feature config; <see cref="FeatureConfig.Default"/> when null, as <c>tollgate paper run</c> uses.</param>
    /// <exception cref="CaptureFormatException">The bytes are not a capture.</exception>
    public SimulationCapture(byte[] capture, Func<InstrumentTable, IFrameDecoder> decoderFor, FeatureConfig? features = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(decoderFor);
        bytes = capture;
        this.decoderFor = decoderFor;
        Features = features ?? FeatureConfig.Default;
        using var reader = new CaptureReader(new MemoryStream(bytes, writable: false));
        Instruments = reader.Header.Instruments;
        Source = reader.Header.Source;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Reads the capture file at <paramref name="path"/> into memory.</summary>
    /// <exception cref="CaptureFormatException">No file there (MKT-CAPTURE-NOT-FOUND), or it is not a capture.</exception>
    public static SimulationCapture Load(string path, Func<InstrumentTable, IFrameDecoder> decoderFor, FeatureConfig? features = null)
    {
        if (!File.Exists(path)) throw new CaptureFormatException("MKT-CAPTURE-NOT-FOUND", $"no capture at '{path}'");
        return new SimulationCapture(File.ReadAllBytes(path), decoderFor, features);
    }

    /// <summary>The capture header's instruments with their exchange filters: what bundles and rules are bound to before a pass.</summary>
    public InstrumentTable Instruments { get; }
    public string Source { get; }
    /// <summary>Lower-case hex SHA-256 of the capture's bytes.</summary>
    public string Sha256 { get; }
    public FeatureConfig Features { get; }

    internal CaptureSummary Summary(long frames, long featureEvents) => new(Sha256, Source, frames, featureEvents);

    /// <summary>Every feature event of the capture, in order, decoded lazily; <paramref name="counts"/> holds the frames and events read so far.</summary>
    internal IEnumerable<FeatureEvent> FeatureEvents(PassCounts counts)
    {
        var drained = new List<FeatureEvent>();
        var handler = new MarketIngestHandler(Instruments, () => decoderFor(Instruments), Features, new ListSink(drained));
        using var reader = new CaptureReader(new MemoryStream(bytes, writable: false));
        foreach (var (partition, frame) in reader.Frames())
        {
            counts.Frames++;
            handler.Handle(new IngestBatch(partition, [frame]));
            foreach (var e in drained)
            {
                counts.FeatureEvents++;
                yield return e;
            }
            drained.Clear();
        }
    }

    /// <summary>The capture through the whole paper order path (<see cref="PaperReplay"/>) under <paramref name="rules"/>.</summary>
    internal async Task<PaperReplayReport> PaperRunAsync(RuleSet rules, PaperReplayOptions options, CancellationToken cancellationToken)
    {
        using var reader = new CaptureReader(new MemoryStream(bytes, writable: false));
        var replay = new PaperReplay(Instruments, () => decoderFor(Instruments), Features, rules, options);
        return await replay.RunAsync(reader.Frames(), null, cancellationToken);
    }

    private sealed class ListSink(List<FeatureEvent> events) : IFeatureSink
    {
        public void OnFeatures(in FeatureEvent features) => events.Add(features);
    }
}

/// <summary>What one pass over a capture read.</summary>
internal sealed class PassCounts
{
    public long Frames;
    public long FeatureEvents;
}
