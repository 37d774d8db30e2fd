using System.Text.Json.Nodes;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;
using static Tollgate.Markets.Tests.Strategy.StrategyKit;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Strategy;

/// <summary>Reading rule sets, their canonical form and rev.</summary>
public sealed class RuleSetTests
{
    private const string ExampleCanonical =
        """{"name":"tight-spread","rules":[{"id":"fut-long-tight","market":"FUT","symbols":["BTCUSDT"],"when":["spread_bps < 10","imbalance > 0.2"],"side":"BUY","type":"MARKET","quantity":"0.002","limit_offset_ticks":null,"stop_loss_pct":"2","take_profit_pct":"4","cooldown_seconds":30,"max_open":1}]}""";

    [Fact]
    public void The_documented_example_parses_to_its_rule()
    {
        var set = Parse(Example);
        Assert.Equal("tight-spread", set.Name);
        var rule = Assert.Single(set.Rules);
        Assert.Equal("fut-long-tight", rule.Id);
        Assert.Equal(MarketKind.Futures, rule.Market);
        Assert.Same(FutBtcUsdt, Assert.Single(rule.Instruments));
        Assert.Equal(["spread_bps < 10", "imbalance > 0.2"], rule.When.Select(c => c.Text));
        Assert.Equal((StrategyFeature.SpreadBps, ConditionOperator.Less, 10m), (rule.When[0].Feature, rule.When[0].Operator, rule.When[0].Threshold));
        Assert.Equal((OrderSide.Buy, OrderType.Market, 0.002m), (rule.Side, rule.Type, rule.Quantity));
        Assert.Null(rule.LimitOffsetTicks);
        Assert.Equal((2m, 4m), (rule.StopLossPct, rule.TakeProfitPct));
        Assert.Equal(TimeSpan.FromSeconds(30), rule.Cooldown);
        Assert.Equal(1, rule.MaxOpen);
        Assert.Matches("^rules-[0-9a-f]{16}$", set.Rev);
        Assert.Equal(ExampleCanonical, set.Canonical);
    }

    [Fact]
    public void The_canonical_form_parses_back_to_the_same_set()
    {
        var set = Parse(Set("two", Rule("a", symbols: ["ETHUSDT", "BTCUSDT"], market: "SPOT", quantity: "0.0010"),
            Rule("b", type: "LIMIT", offset: -2, sl: null, when: ["regime != volatile", "microprice_edge_bps>=-1.50"], symbols: ["BNBUSDT"], quantity: "0.01")));
        var again = Parse(set.Canonical);
        Assert.Equal(set.Canonical, again.Canonical);
        Assert.Equal(set.Rev, again.Rev);
        Assert.Equal(["BTCUSDT", "ETHUSDT"], set.Rules[0].Instruments.Select(i => i.Symbol)); // sorted
        Assert.Equal("0.001", set.Rules[0].Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)); // trailing zeros gone
        Assert.Equal(["regime != VOLATILE", "microprice_edge_bps >= -1.5"], set.Rules[1].When.Select(c => c.Text));
    }

    [Fact]
    public void The_rev_does_not_move_with_whitespace_field_order_symbol_order_case_trailing_zeros_or_explicit_nulls()
    {
        var reordered = """
            {
              "rules": [ {
                  "max_open": 1, "cooldown_seconds": 30, "take_profit_pct": 4.00, "stop_loss_pct": "2.0",
                  "quantity": 0.0020, "type": "market", "side": "buy",
                  "when": [ "spread_bps<10.0", "  imbalance   >   0.20 " ],
                  "symbols": [ "btcusdt" ], "market": "fut", "id": "fut-long-tight"
              } ],
              "name": "tight-spread"
            }
            """;
        Assert.Equal(Parse(Example).Rev, Parse(reordered).Rev);
        Assert.Equal(ExampleCanonical, Parse(reordered).Canonical);

        var twoSymbols = Parse(Rule(symbols: ["BTCUSDT", "BNBUSDT"], quantity: "0.01"));
        Assert.Equal(twoSymbols.Rev, Parse(Rule(symbols: ["BNBUSDT", "BTCUSDT"], quantity: "0.01")).Rev);
        var withoutOptional = Rule(sl: null, tp: null);
        withoutOptional.Remove("stop_loss_pct");
        withoutOptional.Remove("take_profit_pct");
        Assert.Equal(Parse(Rule(sl: null, tp: null)).Rev, Parse(withoutOptional).Rev);
    }

    [Fact]
    public void Every_change_of_meaning_gives_another_rev()
    {
        string[] sets =
        [
            Set(Rule()),
            Set(Rule(when: ["spread_bps < 11", "imbalance > 0.2"])),
            Set(Rule(when: ["spread_bps <= 10", "imbalance > 0.2"])),
            Set(Rule(when: ["spread_bps < 10"])),
            Set(Rule(when: ["spread_bps < 10", "imbalance > 0.2", "regime == CALM"])),
            Set(Rule(id: "r2")),
            Set(Rule(market: "SPOT", quantity: "0.002")),
            Set(Rule(symbols: ["BTCUSDT", "BNBUSDT"], quantity: "0.01")),
            Set(Rule(side: "SELL")),
            Set(Rule(type: "LIMIT", offset: 0)),
            Set(Rule(type: "LIMIT", offset: 1)),
            Set(Rule(quantity: "0.003")),
            Set(Rule(sl: "2.5")),
            Set(Rule(sl: null)),
            Set(Rule(tp: "5")),
            Set(Rule(cooldown: 31)),
            Set(Rule(maxOpen: 2)),
            Set("renamed", Rule()),
            Set(Rule("a"), Rule("b")),
            Set(Rule("b"), Rule("a")), // rule order decides which fires
        ];
        var revs = sets.Select(s => Parse(s).Rev).ToList();
        Assert.Equal(revs.Count, revs.Distinct().Count());
    }

    [Fact]
    public void An_empty_rule_list_is_a_strategy_that_never_trades()
    {
        var set = Parse("""{"name":"flat","rules":[]}""");
        Assert.Empty(set.Rules);
        Assert.Null(new RuleStrategy(set).OnFeatures(Event(FutBtcUsdt, 1, 100m, 100.1m), FakePositions.Flat));
    }
}
