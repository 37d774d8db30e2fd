using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Identity;
using Tollgate.Host.Api;
using Tollgate.Host.Functions;
using Tollgate.Markets.Books;
using Tollgate.Markets.Events;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Host.Markets;

/// <summary>
/// The market plane over HTTP: <c>GET /api/market</c> (every instrument: book state, latest features, data quality,
/// connections) and <c>GET /api/market/books/{market}/{symbol}?depth=N</c> (the top of one book).
/// </summary>
public sealed class MarketApi(MarketPlane plane, TimeProvider time) : IFunctionModule
{
    public const int MaxDepth = 1000;

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("market-summary", "market", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadMarketData), SummaryAsync))
        .Add(FunctionDefinition.Http("market-book", "market/books/{market}/{symbol}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadMarketData), BookAsync));

    private Task<IResult> SummaryAsync(HttpContext http)
    {
        if (NotRunning() is { } refused) return Task.FromResult(refused);
        var handler = plane.Handler!;
        var now = time.GetUtcNow();
        var instruments = handler.Instruments.All.Select(i => handler.Inspect(i, p => Describe(p, now)) ?? new { Instrument = i.Key, State = "NO_DATA" } as object).ToList();
        var faults = handler.Faults.Where(f => f.Value > 0).ToDictionary(f => f.Key.Code(), f => f.Value);
        return Task.FromResult(Results.Json(new
        {
            Instruments = instruments,
            Frames = handler.FramesSeen,
            handler.Duplicates,
            Dropped = faults,
            plane.FeatureEvents,
            ConfigRev = handler.Config.Rev,
            Connections = Enum.GetValues<MarketKind>().Select(m => Connection(m, now)).ToList(),
            plane.CapturePath,
            RecentDataQuality = plane.Monitor.RecentEvents.TakeLast(20).Select(e => new { e.Code, Instrument = e.InstrumentKey, e.Detail, e.At }).ToList(),
        }, ApiJson.Options));
    }

    private Task<IResult> BookAsync(HttpContext http)
    {
        if (NotRunning() is { } refused) return Task.FromResult(refused);
        var handler = plane.Handler!;
        var marketText = GovernanceJson.Route(http, "market");
        var symbol = GovernanceJson.Route(http, "symbol");
        if (!MarketKinds.TryParse(marketText, out var market) || handler.Instruments.Find(market, symbol) is not { } instrument)
            return Task.FromResult(ApiErrors.Result(MarketReasons.UnknownInstrument, $"'{marketText}:{symbol}' is not an instrument of this market plane (SPOT or FUT, then a configured symbol)."));
        var depth = 10;
        if (http.Request.Query["depth"].ToString() is { Length: > 0 } depthText && (!int.TryParse(depthText, out depth) || depth is < 1 or > MaxDepth))
            return Task.FromResult(ApiErrors.Result(MarketReasons.InvalidRequest, $"depth must be a whole number from 1 to {MaxDepth}, got '{depthText}'."));
        var book = handler.Inspect(instrument, p => new
        {
            Instrument = instrument.Key,
            p.Book.IsSynced,
            p.Book.LastUpdateId,
            p.Book.UpdatedAt,
            Bids = Levels(p.Book.Bids, depth),
            Asks = Levels(p.Book.Asks, depth),
        });
        return Task.FromResult(book is null
            ? ApiErrors.Result(MarketReasons.NotRunning, $"{instrument.Key} has had no data yet.")
            : Results.Json(book, ApiJson.Options));
    }

    private IResult? NotRunning()
    {
        if (plane.Handler is not null) return null;
        if (!plane.Settings.Enabled)
            return ApiErrors.Result(MarketReasons.PlaneOff, "The market plane is off: no instruments are configured (Tollgate:Markets:Instruments).");
        return ApiErrors.Result(MarketReasons.NotRunning, plane.Failure is { } failure ? $"The market plane failed to start: {failure}" : "The market plane is starting.");
    }

    private static object Describe(InstrumentPipeline p, DateTimeOffset now) => new
    {
        Instrument = p.Instrument.Key,
        State = p.Book.IsSynced ? "SYNCED" : p.Sync.Buffered > 0 ? "AWAITING_SNAPSHOT" : "NO_BOOK",
        p.Book.LastUpdateId,
        BestBid = p.Book.IsSynced && !p.Book.Bids.IsEmpty ? p.Book.Bids.Best.Price : (decimal?)null,
        BestAsk = p.Book.IsSynced && !p.Book.Asks.IsEmpty ? p.Book.Asks.Best.Price : (decimal?)null,
        Features = p.LastFeatures is { } f ? Features(f) : null,
        Mark = p.LastMarkPrice is { } m ? new { m.Mark, m.Index, m.FundingRate, m.NextFundingTime } : null,
        Quality = new
        {
            p.Quality.Events,
            p.Quality.Deltas,
            p.Quality.Gaps,
            p.Quality.Resyncs,
            p.Quality.StaleDeltas,
            p.Quality.StaleQuotes,
            p.Quality.StaleTrades,
            p.Quality.StaleSnapshots,
            GapRatio = Math.Round(p.Quality.GapRatio, 6),
            LatencyP50Ms = p.Quality.Latency.Percentile(50, now),
            LatencyP95Ms = p.Quality.Latency.Percentile(95, now),
            p.Quality.LastIngest,
            p.Quality.ContinuousGapAlert,
        },
    };

    internal static object Features(in FeatureEvent f) => new
    {
        Trigger = f.Trigger.ToString().ToLowerInvariant(),
        f.UpdateId, f.Mid, f.Spread, f.SpreadBps, f.Microprice, f.Imbalance, f.Atr, f.RealizedVolatility,
        Regime = f.Regime.Code, f.ConfigRev, f.IngestTime,
    };

    private object Connection(MarketKind market, DateTimeOffset now)
    {
        var c = plane.Monitor.Market(market);
        return new
        {
            Market = market.Code(),
            c.OpenConnections,
            c.Connects,
            c.UnplannedDisconnects,
            HeartbeatRttP95Ms = c.RoundTripP95(now),
            ClockSkewMs = c.LastSkew?.TotalMilliseconds,
            c.LastHeartbeat,
            c.RateLimited,
            c.BannedUntil,
            Weight = c.WeightLimit > 0 ? $"{c.WeightUsed}/{c.WeightLimit}" : null,
        };
    }

    private static List<decimal[]> Levels(BookSide side, int depth)
    {
        var levels = new List<decimal[]>(Math.Min(depth, side.Count));
        for (var i = 0; i < Math.Min(depth, side.Count); i++) levels.Add([side[i].Price, side[i].Quantity]);
        return levels;
    }
}
