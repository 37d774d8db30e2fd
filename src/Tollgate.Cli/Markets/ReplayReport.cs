using System.Globalization;
using Spectre.Console;
using Tollgate.Markets.Books;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;

namespace Tollgate.Cli.Markets;

/// <summary>What a replay prints: per instrument its final book and features, then what was ingested and the hash of every FeatureEvent.</summary>
internal static class ReplayReport
{
    public static void Print(CliContext context, MarketIngestHandler handler, IngestResult result, FeatureEventLog log, int depth)
    {
        var console = context.TableConsole();
        foreach (var pipeline in handler.Pipelines)
        {
            var book = pipeline.Book;
            var state = book.IsSynced ? $"in sync at update {book.LastUpdateId}" : pipeline.Sync.Buffered > 0 ? $"waiting for a snapshot ({pipeline.Sync.Buffered} update(s) buffered)" : "no depth book";
            var levels = new Table().Title($"{pipeline.Instrument.Key}: book {state}").AddColumns("bid qty", "bid", "ask", "ask qty");
            if (book.IsSynced)
                for (var i = 0; i < Math.Min(depth, Math.Max(book.Bids.Count, book.Asks.Count)); i++)
                    levels.AddRow(Level(book.Bids, i, quantity: true), Level(book.Bids, i, quantity: false), Level(book.Asks, i, quantity: false), Level(book.Asks, i, quantity: true));
            console.Write(levels);

            if (pipeline.LastFeatures is { } f)
            {
                var features = new Table().Title($"{pipeline.Instrument.Key}: features after update {f.UpdateId} ({f.Trigger.ToString().ToLowerInvariant()}, config {f.ConfigRev})")
                    .AddColumns("mid", "spread_bps", "microprice", "imbalance", "ATR", "realized vol", "regime");
                features.AddRow(N(f.Mid), N(f.SpreadBps), N(f.Microprice), N(f.Imbalance), N(f.Atr), N(f.RealizedVolatility), f.Regime.Code);
                console.Write(features);
            }
            var q = pipeline.Quality;
            context.Out.WriteLine($"  {q.Events} events, {q.Deltas} depth updates, {q.Trades} trades, {q.Gaps} gap(s), {q.Resyncs} resync(s), {q.StaleDeltas} stale update(s)");
        }
        var faults = handler.Faults.Where(f => f.Value > 0).Select(f => $"{f.Value} {f.Key.Code()}").ToList();
        context.Out.WriteLine($"frames: {result.Frames} read, {result.Decoded} decoded, {result.Duplicates} duplicate, {result.Control} control, {result.Dropped} dropped{(faults.Count > 0 ? $" ({string.Join(", ", faults)})" : "")}");
        context.Out.WriteLine($"features: {log.Count} FeatureEvents, {log.Sha256()}");
    }

    private static string Level(BookSide side, int i, bool quantity)
        => i < side.Count ? (quantity ? side[i].Quantity : side[i].Price).ToString(CultureInfo.InvariantCulture) : "";

    private static string N(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "–";
}
