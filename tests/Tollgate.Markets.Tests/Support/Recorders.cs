using Tollgate.Markets.Events;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Markets.Tests.Support;

/// <summary>A depth delta copied out of the decoder's buffers.</summary>
public sealed record RecordedDelta(Instrument Instrument, long FirstUpdateId, long FinalUpdateId, long? PreviousFinalUpdateId,
    DateTimeOffset ExchangeTime, DateTimeOffset IngestTime, PriceLevel[] Bids, PriceLevel[] Asks);

/// <summary>A depth snapshot copied out of the decoder's buffers.</summary>
public sealed record RecordedSnapshot(Instrument Instrument, long LastUpdateId, DateTimeOffset IngestTime, PriceLevel[] Bids, PriceLevel[] Asks);

/// <summary>Every normalized event a decoder or handler delivered, in order.</summary>
public sealed class EventRecorder : IMarketEventSink
{
    public List<object> All { get; } = [];
    public IEnumerable<Quote> Quotes => All.OfType<Quote>();
    public IEnumerable<RecordedDelta> Deltas => All.OfType<RecordedDelta>();
    public IEnumerable<RecordedSnapshot> Snapshots => All.OfType<RecordedSnapshot>();
    public IEnumerable<Trade> Trades => All.OfType<Trade>();
    public IEnumerable<MarkPrice> MarkPrices => All.OfType<MarkPrice>();

    public void OnQuote(in Quote quote) => All.Add(quote);
    public void OnBookDelta(in BookDelta d) => All.Add(new RecordedDelta(d.Instrument, d.FirstUpdateId, d.FinalUpdateId, d.PreviousFinalUpdateId,
        d.ExchangeTime, d.IngestTime, d.Bids.ToArray(), d.Asks.ToArray()));
    public void OnBookSnapshot(in BookSnapshot s) => All.Add(new RecordedSnapshot(s.Instrument, s.LastUpdateId, s.IngestTime, s.Bids.ToArray(), s.Asks.ToArray()));
    public void OnTrade(in Trade trade) => All.Add(trade);
    public void OnMarkPrice(in MarkPrice markPrice) => All.Add(markPrice);
}

public sealed class FeatureRecorder : IFeatureSink
{
    public List<FeatureEvent> Events { get; } = [];
    public void OnFeatures(in FeatureEvent features) => Events.Add(features);
}

public sealed class QualityRecorder : IDataQualitySink
{
    public List<DataQualityEvent> Events { get; } = [];
    public void OnDataQuality(DataQualityEvent e) => Events.Add(e);
    public int Count(DataQualityKind kind) => Events.Count(e => e.Kind == kind);
}

public sealed class SnapshotRequestRecorder : ISnapshotRequester
{
    public List<(string InstrumentKey, string Reason)> Requests { get; } = [];
    public void RequestSnapshot(string instrumentKey, string reason) => Requests.Add((instrumentKey, reason));
}
