using System.Globalization;
using Spectre.Console;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;

namespace Tollgate.Cli.Paper;

/// <summary>What a paper run prints: the orders and fills, positions with PnL, per-cohort metrics and the reconciliation.</summary>
internal static class PaperReport
{
    public static void Print(CliContext context, PaperReplayReport report, int shown)
    {
        var console = context.TableConsole();
        var byStatus = report.Orders.GroupBy(o => o.Status.Code()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        context.Out.WriteLine($"{report.Frames} frame(s), {report.FeatureEvents} feature event(s): {report.Decisions} decision(s), {report.Closes} protective close(s); " +
            $"{report.Orders.Count} order(s) ({string.Join(", ", byStatus)}), {report.Fills.Count} fill(s)");

        var orders = new Table().Title($"orders (last {Math.Min(shown, report.Orders.Count)} of {report.Orders.Count})")
            .AddColumns("routed at", "instrument", "side", "type", "qty", "status", "executed", "avg price", "reason", "intent");
        foreach (var o in report.Orders.TakeLast(shown))
        {
            var reason = o.Events.LastOrDefault(e => e.Reason is not null)?.Reason ?? "";
            orders.AddRow(o.Order.RoutedAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), o.Order.InstrumentKey, Side(o.Order.Side), o.Order.Type.ToString().ToUpperInvariant(),
                N(o.Order.Quantity), o.Status.Code(), N(o.Last.ExecutedQuantity), N(o.Last.AveragePrice), reason, Markup.Escape(Short(o.Order.IntentId)));
        }
        console.Write(orders);

        var fills = new Table().Title($"fills (last {Math.Min(shown, report.Fills.Count)} of {report.Fills.Count})")
            .AddColumns("at", "instrument", "side", "qty", "price", "fee", "maker", "mid at send", "slippage bps");
        foreach (var f in report.Fills.TakeLast(shown))
            fills.AddRow(f.At.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), f.InstrumentKey, Side(f.Side), N(f.Quantity), N(f.Price), $"{N(f.Fee)} {f.FeeAsset}",
                f.IsMaker ? "yes" : "no", N(f.MidAtSend), N(f.SlippageBps));
        console.Write(fills);

        var positions = new Table().Title("positions").AddColumns("instrument", "quantity", "avg price / entry", "mark", "realized PnL", "unrealized PnL", "fees");
        foreach (var p in report.Positions)
            positions.AddRow(p.InstrumentKey, N(p.Quantity), N(Math.Round(p.AveragePrice, 8)), N(p.Mark), N(Math.Round(p.RealizedPnl, 8)),
                N(p.UnrealizedPnl is { } u ? Math.Round(u, 8) : null), N(Math.Round(p.FeesPaid, 8)));
        console.Write(positions);
        var realized = report.Positions.Sum(p => p.RealizedPnl);
        var unrealized = report.Positions.Sum(p => p.UnrealizedPnl ?? 0);
        context.Out.WriteLine($"PnL: realized {N(Math.Round(realized, 8))}, unrealized {N(Math.Round(unrealized, 8))}, total {N(Math.Round(realized + unrealized, 8))} (quote currency)");

        var cohorts = new Table().Title("execution metrics per cohort (environment, config rev)")
            .AddColumns("env", "config rev", "intents", "submitted", "rejected", "reject rate", "filled", "expired", "fills", "fill ratio", "slippage bps (mean)", "routing p95 ms", "idempotency hits");
        foreach (var c in report.Cohorts)
            cohorts.AddRow(c.Environment, c.ConfigRev, $"{c.Intents}", $"{c.Submitted}", $"{c.Rejected}", c.RejectRate.ToString("P1", CultureInfo.InvariantCulture), $"{c.Filled}",
                $"{c.Expired}", $"{c.Fills}", N(c.FillRatio is { } r ? Math.Round(r, 4) : null), N(c.SlippageBpsMean is { } s ? Math.Round(s, 3) : null),
                c.RoutingLatencyP95Ms?.ToString("0.###", CultureInfo.InvariantCulture) ?? "–", $"{c.IdempotencyHits}");
        console.Write(cohorts);
        foreach (var c in report.Cohorts.Where(c => c.RejectReasons.Count > 0))
            context.Out.WriteLine($"  {c.ConfigRev} rejections: {string.Join(", ", c.RejectReasons.OrderByDescending(r => r.Value).Select(r => $"{r.Value} {r.Key}"))}");

        var recon = report.Reconciliation;
        context.Out.WriteLine($"reconciliation {recon.Id}: {recon.Result} (open orders agree {N(recon.OrdersAgreement)}: {recon.LocalOpenOrders} here, {recon.ExchangeOpenOrders} on the channel; " +
            $"fills agree {N(recon.FillsAgreement)}: {recon.LocalFills} here, {recon.ExchangeFills} on the channel; {recon.PositionsCompared} position(s) compared, {recon.Differences.Count} difference(s))");
        foreach (var d in recon.Differences.Take(10)) context.Out.WriteLine($"  {d.Kind} {d.InstrumentKey} {d.Id}: {d.Detail}");
        context.Out.WriteLine($"execution logs: {report.Logs[ExecutionPhase.Pre]} pre, {report.Logs[ExecutionPhase.In]} in, {report.Logs[ExecutionPhase.Post]} post (counted; a replay writes no ledger entries)");
    }

    private static string Side(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";
    private static string Short(string intentId) => intentId.Length <= 48 ? intentId : "…" + intentId[^47..];
    /// <summary>A decimal without the trailing zeros its arithmetic left (65000.300000000 → 65000.3).</summary>
    private static string N(decimal? value) => value?.ToString("0.############################", CultureInfo.InvariantCulture) ?? "–";
}
