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
/// of the universe. First every order Tollgate holds open is asked of the exchange and what it says is applied
/// through the router (the only repair: it is the exchange's truth about our own order). Then the sets are
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
        var differences = new List<ReconciliationDifference>();
        var repaired = 0;

        foreach (var clientOrderId in router.OpenClientOrderIds)
        {
            var stored = await store.GetOrderAsync(clientOrderId, cancellationToken);
            if (stored is null || universe.Find(stored.Order.InstrumentKey) is not { } instrument) continue;
            var found = await channel.QueryAsync(instrument, clientOrderId, cancellationToken);
            if (found is null) continue;
            var before = stored.Status;
            await router.ObserveAsync(found, cancellationToken);
            if (found.Status != before) repaired++;
        }

        var localOpen = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var stored in store.OrdersAsync(cancellationToken))
        {
            known.Add(stored.Order.ClientOrderId);
            if (!stored.Status.IsTerminal() && stored.Status != OrderStatus.Initialized) localOpen[stored.Order.ClientOrderId] = stored;
        }
        var exchangeOpen = new Dictionary<string, ChannelOrder>(StringComparer.Ordinal);
        var traded = universe.All;
        foreach (var instrument in traded)
            foreach (var order in await channel.OpenOrdersAsync(instrument, cancellationToken))
                exchangeOpen[order.ClientOrderId] = order;

        foreach (var (coid, order) in exchangeOpen)
            if (!localOpen.ContainsKey(coid))
                differences.Add(new("ORPHAN_EXCHANGE", order.Instrument.Key, coid, known.Contains(coid) ? "ended here, open on the exchange" : "not placed by Tollgate's router"));
        foreach (var (coid, stored) in localOpen)
            if (!exchangeOpen.ContainsKey(coid))
                differences.Add(new("ORPHAN_LOCAL", stored.Order.InstrumentKey, coid, $"{stored.Status.Code()} here, not open on the exchange"));
        var ordersAgreement = Jaccard(localOpen.Keys, exchangeOpen.Keys);

        var since = now - options.Lookback;
        var localFills = (await store.FillsSinceAsync(since, cancellationToken)).Select(f => $"{f.InstrumentKey}#{f.TradeId}").ToHashSet(StringComparer.Ordinal);
        var exchangeFills = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instrument in traded)
            foreach (var fill in await channel.FillsAsync(instrument, since, cancellationToken))
                exchangeFills.Add($"{instrument.Key}#{fill.TradeId}");
        foreach (var f in exchangeFills.Except(localFills)) differences.Add(new("FILL_MISSING_LOCAL", f[..f.IndexOf('#')], f[(f.IndexOf('#') + 1)..], "executed on the exchange, not recorded here"));
        foreach (var f in localFills.Except(exchangeFills)) differences.Add(new("FILL_MISSING_EXCHANGE", f[..f.IndexOf('#')], f[(f.IndexOf('#') + 1)..], "recorded here, unknown to the exchange"));
        var fillsAgreement = Jaccard(localFills, exchangeFills);

        var compared = await ComparePositionsAsync(traded, differences, cancellationToken);

        var failed = ordersAgreement < options.MinAgreement || fillsAgreement < options.MinAgreement || differences.Any(d => d.Kind == "POSITION");
        router.Metrics.ReconciliationMismatch(router.Environment, "", differences.Count);
        return new ReconciliationReport(id, now, ordersAgreement, fillsAgreement, exchangeOpen.Count, localOpen.Count, exchangeFills.Count, localFills.Count,
            compared, repaired, differences, failed);
    }

    private async Task<int> ComparePositionsAsync(IReadOnlyList<Instrument> traded, List<ReconciliationDifference> differences, CancellationToken cancellationToken)
    {
        var compared = 0;
        var positions = router.Positions;
        if (traded.Any(i => i.Market == MarketKind.Futures))
        {
            var holdings = await router.Channel.HoldingsAsync(MarketKind.Futures, cancellationToken);
            foreach (var instrument in traded.Where(i => i.Market == MarketKind.Futures))
            {
                var exchange = holdings.Where(h => h.Instrument is { } i && ReferenceEquals(i, instrument) || h.Asset == instrument.Symbol).Sum(h => h.Quantity);
                var local = positions.OpenQuantity(instrument);
                compared++;
                if (exchange != local) differences.Add(new("POSITION", instrument.Key, instrument.Symbol, $"exchange {Text(exchange)}, Tollgate {Text(local)}"));
            }
        }
        if (traded.Any(i => i.Market == MarketKind.Spot))
        {
            var balances = await router.Channel.HoldingsAsync(MarketKind.Spot, cancellationToken);
            foreach (var instrument in traded.Where(i => i.Market == MarketKind.Spot))
            {
                var local = positions.OpenQuantity(instrument);
                if (local == 0) continue;
                var asset = AssetPair.Of(instrument.Symbol).Base;
                var exchange = balances.Where(b => b.Instrument is null && b.Asset == asset).Sum(b => b.Quantity);
                compared++;
                if (local > exchange) differences.Add(new("POSITION", instrument.Key, asset, $"Tollgate holds {Text(local)} {asset}, the account {Text(exchange)}"));
            }
        }
        return compared;
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
