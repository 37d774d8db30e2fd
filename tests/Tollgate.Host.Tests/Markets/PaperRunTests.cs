using Tollgate.Cli;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Features;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;

namespace Tollgate.Host.Tests.Markets;

/// <summary>
/// A capture the real host wrote, traded on paper in one process (<c>tollgate paper run</c>, issue 6's "done when"):
/// the rule strategy decides, the router routes to the Paper channel, fills move positions, and reconciliation agrees.
/// Twice over one capture it gives the same orders, fills and PnL; bad rules are refused with their code.
/// </summary>
public sealed class PaperRunTests(MarketCaptureFixture fixture) : IClassFixture<MarketCaptureFixture>
{
    private static readonly string Rules = Path.Combine(RepoRoot(), "samples", "strategy", "tight-spread.json");

    private sealed record Run(int ExitCode, string Out, string Error);

    private static async Task<Run> TollgateAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await TollgateCli.RunAsync(args, new CliContext(output, error, endpoint => new HttpClient { BaseAddress = endpoint }));
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private async Task<PaperReplayReport> ReplayAsync()
    {
        using var reader = CaptureReader.Open(fixture.Capture);
        var table = reader.Header.Instruments;
        var rules = RuleSet.Parse(await File.ReadAllTextAsync(Rules), table);
        return await new PaperReplay(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, rules, PaperReplayOptions.Default)
            .RunAsync(reader.Frames(), null, CancellationToken.None);
    }

    [Fact]
    public async Task A_capture_drives_strategy_router_paper_positions_and_reconciliation_and_two_runs_agree_exactly()
    {
        var first = await ReplayAsync();
        var second = await ReplayAsync();

        Assert.True(first.Decisions > 0, "the sample rules never fired on the captured market");
        Assert.Contains(first.Orders, o => o.Status == OrderStatus.Filled);
        Assert.NotEmpty(first.Fills);
        Assert.All(first.Fills, f => Assert.NotNull(f.MidAtSend));
        Assert.False(first.Reconciliation.Failed, string.Join("; ", first.Reconciliation.Differences));
        Assert.Equal(1m, first.Reconciliation.FillsAgreement);
        Assert.Equal(first.Fills.Count, first.Reconciliation.LocalFills);
        // Every fill is in a position: the sum of signed fill quantities is what the positions hold.
        foreach (var position in first.Positions)
            Assert.Equal(first.Fills.Where(f => f.InstrumentKey == position.InstrumentKey).Sum(f => f.Side == OrderSide.Buy ? f.Quantity : -f.Quantity), position.Quantity);

        Assert.Equal(Describe(first), Describe(second));
    }

    [Fact]
    public async Task Tollgate_paper_run_prints_orders_fills_pnl_and_cohorts_and_refuses_bad_rules_with_their_code()
    {
        var run = await TollgateAsync("paper", "run", fixture.Capture, "--rules", Rules);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        foreach (var part in new[] { "orders", "fills", "positions", "PnL: realized", "execution metrics per cohort", "reconciliation", "PASS" })
            Assert.Contains(part, run.Out);

        var bad = Path.Combine(fixture.Folder, "bad-rules.json");
        await File.WriteAllTextAsync(bad, """{"name":"x","rules":[{"id":"a","market":"SPOT","symbols":["DOGEUSDT"],"when":["spread_bps < 10"],"side":"BUY","type":"MARKET","quantity":"1","cooldown_seconds":1,"max_open":1,"colour":"red"}]}""");
        var refused = await TollgateAsync("paper", "run", fixture.Capture, "--rules", bad);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("STRAT-", refused.Error);
        Assert.Contains("STRAT-SYMBOL", refused.Error);
        Assert.Contains("STRAT-UNKNOWN-FIELD", refused.Error);

        var missing = await TollgateAsync("paper", "run", fixture.Capture, "--rules", Path.Combine(fixture.Folder, "none.json"));
        Assert.Equal(2, missing.ExitCode);
    }

    private static string Describe(PaperReplayReport r) => string.Join("\n",
        r.Orders.Select(o => $"{o.Order.IntentId} {o.Status.Code()} {o.Last.ExecutedQuantity} {o.Last.AveragePrice}")
            .Concat(r.Fills.Select(f => $"{f.TradeId} {f.InstrumentKey} {f.Quantity} {f.Price} {f.Fee} {f.SlippageBps}"))
            .Concat(r.Positions.Select(p => $"{p.InstrumentKey} {p.Quantity} {p.AveragePrice} {p.RealizedPnl} {p.UnrealizedPnl}")));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (Functions.sln) is not above the test binaries");
    }
}
