using System.Globalization;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>How strict reconciliation is.</summary>
/// <param name="MinAgreement">The Jaccard agreement of open orders and of fills below which reconciliation fails (P0).</param>
/// <param name="FillLookback">How far back fills are compared.</param>
public sealed record ReconciliationOptions(decimal MinAgreement = 0.95m, TimeSpan? FillLookback = null)
{
    public TimeSpan Lookback => FillLookback ?? TimeSpan.FromHours(24);
}

/// <summary>One difference reconciliation found.</summary>
/// <param name="Kind">ORPHAN_EXCHANGE (open on the exchange, unknown or ended here), ORPHAN_LOCAL (open here, the exchange has no such order), FILL_MISSING_LOCAL, FILL_MISSING_EXCHANGE, POSITION.</param>
public sealed record ReconciliationDifference(string Kind, string InstrumentKey, string Id, string Detail);

/// <summary>What one reconciliation found (seed 002 S5): agreements, differences, and whether it failed.</summary>
/// <param name="Repaired">Local open orders whose ending the exchange knew and Tollgate had not recorded yet (a restart, a lost answer): applied before comparing.</param>
public sealed record ReconciliationReport(
    string Id, DateTimeOffset At, decimal OrdersAgreement, decimal FillsAgreement, int ExchangeOpenOrders, int LocalOpenOrders,
    int ExchangeFills, int LocalFills, int PositionsCompared, int Repaired, IReadOnlyList<ReconciliationDifference> Differences, bool Failed)
{
    public string Result => Failed ? "FAIL" : "PASS";
    public IReadOnlyList<string> ReasonCodes => Failed ? [ExecutionReasons.ReconFail] : [];
}

/// <summary>
/// Reconciliation (seed 002 S5): the exchange's open orders, fills and positions against Tollgate's, per instrument
/// of the universe, each under the instrument's lock. First every order Tollgate holds open is asked of the exchange
/// and what it says is applied through the router (the only repair: it is the exchange's truth about our own order). Then the sets are
/// compared: open client order ids and fill trade ids by Jaccard agreement, futures positions by signed quantity,
/// spot holdings as "Tollgate's holding is not more than the account's balance". Agreement below the threshold or a
/// position difference fails it: the caller raises EXE-RECON-FAIL (P0), which engages the kill switch.
/// </summary>
public sealed class Reconciler(OrderRouter router, InstrumentTable universe, TimeProvider time, ReconciliationOptions options)
{
    public async Task<ReconciliationReport> RunAsync(string id, CancellationToken cancellationToken)
    {
        var channel = router.Channel;
        var store = router.Store;
        var now = time.GetUtcNow();
        var since = now - options.Lookback;
        var differences = new List<ReconciliationDifference>();
        var localOpen = new HashSet<string>(StringComparer.Ordinal);
        var exchangeOpen = new HashSet<string>(StringComparer.Ordinal);
        var localFills = new HashSet<string>(StringComparer.Ordinal);
        var exchangeFills = new HashSet<string>(StringComparer.Ordinal);
        int repaired = 0, compared = 0;

        // One instrument at a time, under its lock: no routing step, channel report or in-flight check changes what
        // is being compared, so a difference is one the two sides really have, not one caught half-way.
        foreach (var instrument in universe.All)
        {
            using var held = await router.Locks.AcquireAsync(instrument, cancellationToken);
            foreach (var order in router.LiveOn(instrument))
            {
                if (order.Status == OrderStatus.Initialized) continue;
                if (await channel.QueryAsync(instrument, order.Record.ClientOrderId, cancellationToken) is not { } found) continue;
                var before = order.Status;
                await router.ApplyHeldAsync(order, found, cancellationToken);
                if (order.Status != before) repaired++;
            }

            var local = router.LiveOn(instrument).Where(o => o.Status != OrderStatus.Initialized).Select(o => o.Record.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            var open = (await channel.OpenOrdersAsync(instrument, cancellationToken)).ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
            foreach (var (coid, _) in open.Where(o => !local.Contains(o.Key)))
                differences.Add(new("ORPHAN_EXCHANGE", instrument.Key, coid,
                    await store.GetOrderAsync(coid, cancellationToken) is null ? "not placed by Tollgate's router" : "ended here, open on the exchange"));
            foreach (var coid in local.Where(c => !open.ContainsKey(c)))
                differences.Add(new("ORPHAN_LOCAL", instrument.Key, coid, "open here, not open on the exchange"));
            localOpen.UnionWith(local.Select(c => $"{instrument.Key}#{c}"));
            exchangeOpen.UnionWith(open.Keys.Select(c => $"{instrument.Key}#{c}"));

            var ours = (await store.FillsSinceAsync(since, cancellationToken)).Where(f => f.InstrumentKey == instrument.Key).Select(f => f.TradeId).ToHashSet(StringComparer.Ordinal);
            var theirs = (await channel.FillsAsync(instrument, since, cancellationToken)).Select(f => f.TradeId).ToHashSet(StringComparer.Ordinal);
            foreach (var trade in theirs.Except(ours)) differences.Add(new("FILL_MISSING_LOCAL", instrument.Key, trade, "executed on the exchange, not recorded here"));
            foreach (var trade in ours.Except(theirs)) differences.Add(new("FILL_MISSING_EXCHANGE", instrument.Key, trade, "recorded here, unknown to the exchange"));
            localFills.UnionWith(ours.Select(t => $"{instrument.Key}#{t}"));
            exchangeFills.UnionWith(theirs.Select(t => $"{instrument.Key}#{t}"));

            if (await ComparePositionAsync(instrument, cancellationToken) is { } difference) differences.Add(difference);
            compared++;
        }

        var ordersAgreement = Jaccard(localOpen, exchangeOpen);
        var fillsAgreement = Jaccard(localFills, exchangeFills);
        var failed = ordersAgreement < options.MinAgreement || fillsAgreement < options.MinAgreement || differences.Any(d => d.Kind == "POSITION");
        router.Metrics.ReconciliationMismatch(router.Environment, "", differences.Count);
        return new ReconciliationReport(id, now, ordersAgreement, fillsAgreement, exchangeOpen.Count, localOpen.Count, exchangeFills.Count, localFills.Count,
            compared, repaired, differences, failed);
    }

    /// <summary>Futures: the signed position. Spot: what Tollgate holds is not more than the account's balance (the account may hold more).</summary>
    private async Task<ReconciliationDifference?> ComparePositionAsync(Instrument instrument, CancellationToken cancellationToken)
    {
        var local = router.Positions.OpenQuantity(instrument);
        var holdings = await router.Channel.HoldingsAsync(instrument.Market, cancellationToken);
        if (instrument.Market == MarketKind.Futures)
        {
            var exchange = holdings.Where(h => h.Instrument is { } i && ReferenceEquals(i, instrument) || h.Instrument is not null && h.Asset == instrument.Symbol).Sum(h => h.Quantity);
            return exchange == local ? null : new("POSITION", instrument.Key, instrument.Symbol, $"exchange {Text(exchange)}, Tollgate {Text(local)}");
        }
        if (local == 0) return null;
        var asset = AssetPair.Of(instrument.Symbol).Base;
        var balance = holdings.Where(b => b.Instrument is null && b.Asset == asset).Sum(b => b.Quantity);
        return local <= balance ? null : new("POSITION", instrument.Key, asset, $"Tollgate holds {Text(local)} {asset}, the account {Text(balance)}");
    }

    /// <summary>|A ∩ B| / |A ∪ B|; two empty sets agree completely.</summary>
    public static decimal Jaccard(IEnumerable<string> a, IEnumerable<string> b)
    {
        var left = a.ToHashSet(StringComparer.Ordinal);
        var right = b.ToHashSet(StringComparer.Ordinal);
        var union = left.Union(right).Count();
        return union == 0 ? 1m : Math.Round((decimal)left.Intersect(right).Count() / union, 6);
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
