using System.Text.Json;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Support;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// The order path of one host on Paper, end to end over HTTP, as an operator runs it: no rules before a map is
/// active; the sample rules linted, stored, registered as a Paper map and activated with a Trader's approval; then
/// the strategy trades on the Paper channel (decisions, orders with their trail, fills priced against the mid at
/// send), reconciliation agrees and is in the ledger; and a map whose rules are not its config trades nothing.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class PaperEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_approved_Paper_map_s_rules_trade_on_the_Paper_channel_reconcile_and_a_mismatched_map_trades_nothing()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6001);
        using var host = new HostFactory().Paper(exchange);
        var operatorHttp = host.As(ExecutionHost.Operator, Role.Operator);
        var traderHttp = host.As(ExecutionHost.Trader, Role.Trader);

        // Before any map: routing, but nothing to trade.
        var before = await operatorHttp.WaitForRoutingAsync();
        Assert.Equal("Paper", before.GetProperty("environment").GetString());
        Assert.Equal("paper", before.GetProperty("channel").GetString());
        Assert.StartsWith("EXE-CONFIG-NONE", before.GetProperty("rulesProblem").GetString());
        Assert.Equal(0, before.GetProperty("decisions").GetInt64());
        // The startup reconciliation ran before routing, on an empty store: complete agreement.
        Assert.Equal("PASS", before.GetProperty("lastReconciliation").GetProperty("result").GetString());

        // The sample rules, the governed way.
        var rules = await File.ReadAllTextAsync(ExecutionHost.SampleRulesPath);
        var rev = await ExecutionHost.TradeOnPaperAsync(operatorHttp, traderHttp, rules, "e2e-sample");

        var trading = await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync, e =>
                e.GetProperty("rulesRev").GetString() == rev && e.GetProperty("decisions").GetInt64() > 0
                && e.Cohort(rev).Count("fills") > 0 && e.Cohort(rev).Count("filled") > 0,
            "the sample rules in force, deciding and filling");
        Assert.Equal(JsonValueKind.Null, trading.GetProperty("rulesProblem").ValueKind);
        var cohort = trading.Cohort(rev)!.Value;
        output.WriteLine($"cohort {rev}: {cohort}");
        Assert.Equal("Paper", cohort.GetProperty("environment").GetString());
        Assert.True(cohort.GetProperty("submitted").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, cohort.GetProperty("slippageBpsMean").ValueKind);
        Assert.True(trading.GetProperty("positions").GetArrayLength() > 0, $"a fill leaves a position: {trading}");

        // One filled order, read back by its intent id: its trail, its events, its fills against the mid at send.
        var filled = trading.GetProperty("recentResults").EnumerateArray().First(r => r.GetProperty("status").GetString() == "FILLED");
        var intentId = filled.GetProperty("intent_id").GetString()!;
        Assert.StartsWith(rev + ":", intentId);
        var order = (await operatorHttp.OrderAsync(intentId))!.Value;
        output.WriteLine($"order {intentId}: {order}");
        Assert.Equal("FILLED", order.GetProperty("status").GetString());
        Assert.Equal(rev, order.GetProperty("order").GetProperty("configRev").GetString());
        Assert.Equal("paper", order.GetProperty("order").GetProperty("channel").GetString());
        var statuses = order.EventStatuses().ToList();
        Assert.Equal("INITIALIZED", statuses[0]);
        Assert.Contains("SUBMITTED", statuses);
        Assert.Equal("FILLED", statuses[^1]);
        Assert.Contains("risk:PASS", order.GetProperty("events")[0].GetProperty("detail").GetString());
        var fills = order.GetProperty("fills").EnumerateArray().ToList();
        Assert.NotEmpty(fills);
        var mid = order.GetProperty("order").GetProperty("midAtSend").GetDecimal();
        Assert.True(mid > 0);
        foreach (var fill in fills)
        {
            Assert.Equal(mid, fill.GetProperty("midAtSend").GetDecimal());
            Assert.Equal(rev, fill.GetProperty("configRev").GetString());
            Assert.False(string.IsNullOrEmpty(fill.GetProperty("bookTop3").GetString()));
            // Signed so that a cost is positive: a buy above the mid, a sell below it.
            var price = fill.GetProperty("price").GetDecimal();
            var buy = fill.GetProperty("side").GetString() == "Buy";
            var expected = Math.Round((buy ? price - mid : mid - price) / mid * 10_000m, 4);
            Assert.Equal(expected, fill.GetProperty("slippageBps").GetDecimal());
        }
        Assert.Equal(fills.Sum(f => f.GetProperty("quantity").GetDecimal()), order.GetProperty("events")[statuses.Count - 1].GetProperty("executedQuantity").GetDecimal());

        // Reconciliation now: the Paper venue and the records agree completely, and the ledger has it.
        var report = await (await operatorHttp.PostAsync("/api/reconcile", null)).ReadOkAsync("reconcile");
        output.WriteLine($"reconciliation: {report}");
        Assert.True(report.GetProperty("result").GetString() == "PASS", $"reconciliation: {report}");
        Assert.Equal(1m, report.GetProperty("ordersAgreement").GetDecimal());
        Assert.Equal(1m, report.GetProperty("fillsAgreement").GetDecimal());
        Assert.Empty(report.GetProperty("differences").EnumerateArray());
        Assert.True(report.GetProperty("localFills").GetInt32() > 0);
        var id = report.GetProperty("id").GetString()!;
        var entry = await operatorHttp.LedgerEntryAsync($"reconciliation:{id}");
        Assert.Equal("reconciliation", entry.GetProperty("kind").GetString());
        Assert.Equal("Paper", entry.GetProperty("environment").GetString());
        var payload = entry.GetProperty("payload");
        Assert.Equal(id, payload.GetProperty("reconciliation_id").GetString());
        Assert.Equal("PASS", payload.GetProperty("result").GetString());
        Assert.Equal("api", payload.GetProperty("trigger").GetString());
        Assert.Equal("1", payload.GetProperty("agreement").GetProperty("orders").GetString());
        Assert.Equal("1", payload.GetProperty("agreement").GetProperty("fills").GetString());
        Assert.False((await (await operatorHttp.GetAsync("/api/kill-switch/Paper")).ReadOkAsync("kill switch")).GetProperty("engaged").GetBoolean());

        // A map whose config is not the rev of its rules artifact: no rules in force, no decisions, although its
        // rules (the busy set) would fire on nearly every event.
        var busyDigest = await operatorHttp.StoreObjectAsync(ExecutionHost.BusyRules);
        const string wrongRev = "rules-00000000deadbeef";
        var mismatched = await operatorHttp.RegisterPaperMapAsync(wrongRev, wrongRev, busyDigest, "e2e-mismatch");
        await ExecutionHost.ActivateOnPaperAsync(operatorHttp, traderHttp, mismatched);
        var refused = await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync,
            e => e.GetProperty("rulesProblem").GetString()?.StartsWith("EXE-CONFIG-MISMATCH", StringComparison.Ordinal) == true,
            "EXE-CONFIG-MISMATCH for the map whose rules are not its config");
        output.WriteLine($"rules problem: {refused.GetProperty("rulesProblem").GetString()}");
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("rulesRev").ValueKind);
        // The problem is published a statement before the strategy is dropped: let an event already being decided finish.
        await Task.Delay(500);
        var decisions = (await operatorHttp.ExecutionAsync()).GetProperty("decisions").GetInt64();
        var events = (await operatorHttp.SummaryAsync()).GetProperty("featureEvents").GetInt64();
        // Bounded: until the market plane has produced plenty of feature events (each one a chance to decide).
        await MarketHost.WaitForAsync(operatorHttp.SummaryAsync, s => s.GetProperty("featureEvents").GetInt64() > events + 100, "100 more feature events");
        var after = await operatorHttp.ExecutionAsync();
        Assert.Equal(decisions, after.GetProperty("decisions").GetInt64());
        Assert.Null(after.Cohort(wrongRev));
        Assert.StartsWith("EXE-CONFIG-MISMATCH", after.GetProperty("rulesProblem").GetString());
    }

    [Fact]
    public async Task A_map_whose_rules_artifact_is_not_its_config_is_refused_even_when_its_config_is_the_rev_in_force()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6002);
        using var host = new HostFactory().Paper(exchange);
        var operatorHttp = host.As(ExecutionHost.Operator, Role.Operator);
        var traderHttp = host.As(ExecutionHost.Trader, Role.Trader);
        await operatorHttp.WaitForRoutingAsync();
        var rules = await File.ReadAllTextAsync(ExecutionHost.SampleRulesPath);
        var rev = await ExecutionHost.TradeOnPaperAsync(operatorHttp, traderHttp, rules, "in-force");
        await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync, e => e.GetProperty("rulesRev").GetString() == rev, "the sample rules in force");

        // Same config version, but the rules artifact is another rule set (whose rev is not that config).
        var busyDigest = await operatorHttp.StoreObjectAsync(ExecutionHost.BusyRules);
        var map = await operatorHttp.RegisterPaperMapAsync(rev, rev, busyDigest, "same-config-other-rules");
        await ExecutionHost.ActivateOnPaperAsync(operatorHttp, traderHttp, map);

        var refused = await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync,
            e => e.GetProperty("rulesProblem").GetString()?.StartsWith("EXE-CONFIG-MISMATCH", StringComparison.Ordinal) == true,
            "EXE-CONFIG-MISMATCH for a map whose rules artifact is not its config", TimeSpan.FromSeconds(15));
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("rulesRev").ValueKind);
    }
}
