namespace Tollgate.Markets.Events;

/// <summary>Where a decoder delivers what it read from one frame. A frame yields at most one event.</summary>
public interface IMarketEventSink
{
    void OnQuote(in Quote quote);
    void OnBookDelta(in BookDelta delta);
    void OnBookSnapshot(in BookSnapshot snapshot);
    void OnTrade(in Trade trade);
    void OnMarkPrice(in MarkPrice markPrice);
}
