using System.Text;
using Tollgate.Markets.Ingest;

namespace Tollgate.Markets.Tests.Support;

/// <summary>A printout of everything a frame could change in a rig: books, buffers, last events, emitted features and reports.</summary>
public static class RigState
{
    public static string Of(Rig rig)
    {
        var s = new StringBuilder();
        foreach (var p in rig.Handler.Pipelines)
        {
            s.AppendLine($"{p.Instrument.Key} on {p.PartitionId}: {BookImage.Of(p.Book)} buffered={p.Sync.Buffered}");
            s.AppendLine($"  quote={p.LastQuote} trade={p.LastTrade} mark={p.LastMarkPrice} features={p.LastFeatures}");
            s.AppendLine($"  bars closed={p.Bars.Closed} atr={p.Bars.Atr} rv={p.Bars.RealizedVolatility} regime={p.Bars.Regime}");
            s.AppendLine($"  gaps={p.Quality.Gaps} stale={p.Quality.StaleDeltas}/{p.Quality.StaleQuotes}/{p.Quality.StaleSnapshots} trades={p.Quality.Trades}");
        }
        s.AppendLine($"features={rig.Features.Events.Count} quality={rig.Quality.Events.Count} snapshots={rig.Snapshots.Requests.Count} normalized={rig.Normalized.All.Count}");
        return s.ToString();
    }

    public static long[] Faults(Rig rig) => [.. Enum.GetValues<FrameFault>().Select(f => rig.Handler.FaultCount(f))];
}
