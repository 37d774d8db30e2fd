using System.Text.Json.Nodes;
using Tollgate.Markets.Strategy;
using static Tollgate.Markets.Strategy.RuleProblemCodes;
using static Tollgate.Markets.Tests.Strategy.StrategyKit;

namespace Tollgate.Markets.Tests.Strategy;

/// <summary>The lint: each code on the smallest case that earns it, and many problems named at once.</summary>
public sealed class RuleSetLintTests
{
    private static string With(Action<JsonObject> change)
    {
        var rule = Rule();
        change(rule);
        return Set(rule);
    }

    private static string When(params string[] conditions) => Set(Rule(when: conditions));

    /// <summary>(case, json, the one problem's code, its path).</summary>
    public static readonly TheoryData<string, string, string, string> Cases = new()
    {
        { "not JSON", "{\"name\":", Schema, "$" },
        { "root not an object", "[]", Schema, "$" },
        { "rules not an array", """{"name":"x","rules":{}}""", Schema, "$.rules" },
        { "no name", """{"rules":[]}""", Schema, "$.name" },
        { "name null", """{"name":null,"rules":[]}""", Schema, "$.name" },
        { "rule not an object", """{"name":"x","rules":[1]}""", Schema, "$.rules[0]" },
        { "missing quantity", With(r => r.Remove("quantity")), Schema, "$.rules[0].quantity" },
        { "missing cooldown", With(r => r.Remove("cooldown_seconds")), Schema, "$.rules[0].cooldown_seconds" },
        { "quantity an object", With(r => r["quantity"] = new JsonObject()), Schema, "$.rules[0].quantity" },
        { "side a number", With(r => r["side"] = 1), Schema, "$.rules[0].side" },
        { "max_open a boolean", With(r => r["max_open"] = true), Schema, "$.rules[0].max_open" },
        { "no conditions", When(), Schema, "$.rules[0].when" },
        { "no symbols", Set(Rule(symbols: [])), Schema, "$.rules[0].symbols" },
        { "symbol a number", With(r => r["symbols"] = new JsonArray(1)), Schema, "$.rules[0].symbols[0]" },
        { "condition a number", With(r => r["when"] = new JsonArray(10)), Schema, "$.rules[0].when[0]" },
        { "condition without operator", When("spread_bps 10"), Schema, "$.rules[0].when[0]" },
        { "condition with two values", When("spread_bps < 10 20"), Schema, "$.rules[0].when[0]" },
        { "LIMIT without offset", Set(Rule(type: "LIMIT")), Schema, "$.rules[0].limit_offset_ticks" },
        { "MARKET with offset", Set(Rule(offset: 0)), Schema, "$.rules[0].limit_offset_ticks" },
        { "field twice", Set(Rule()).Replace("\"id\":\"r1\"", "\"id\":\"r1\",\"id\":\"r2\""), Schema, "$.rules[0].id" },
        { "unknown top-level field", """{"name":"x","rules":[],"version":2}""", UnknownField, "$.version" },
        { "unknown rule field", With(r => r["leverage"] = 20), UnknownField, "$.rules[0].leverage" },
        { "unknown feature", When("spread_pct < 10"), Feature, "$.rules[0].when[0]" },
        { "feature in upper case", When("SPREAD_BPS < 10"), Feature, "$.rules[0].when[0]" },
        { "bad operator", When("spread_bps =< 10"), Operator, "$.rules[0].when[0]" },
        { "single equals", When("spread_bps = 10"), Operator, "$.rules[0].when[0]" },
        { "ordering a regime", When("regime > CALM"), Operator, "$.rules[0].when[0]" },
        { "word threshold", When("spread_bps < ten"), Value, "$.rules[0].when[0]" },
        { "exponent threshold", When("spread_bps < 1e1"), Value, "$.rules[0].when[0]" },
        { "unknown regime", When("regime == HOT"), Value, "$.rules[0].when[0]" },
        { "regime UNKNOWN", When("regime != UNKNOWN"), Value, "$.rules[0].when[0]" },
        { "quantity a word", Set(Rule(quantity: "abc")), Value, "$.rules[0].quantity" },
        { "quantity with exponent", With(r => r["quantity"] = JsonNode.Parse("2e-3")), Value, "$.rules[0].quantity" },
        { "unknown side", Set(Rule(side: "LONG")), Value, "$.rules[0].side" },
        { "unknown type", Set(Rule(type: "STOP")), Value, "$.rules[0].type" },
        { "unknown market", Set(Rule(market: "MARGIN")), Value, "$.rules[0].market" },
        { "fractional cooldown", With(r => r["cooldown_seconds"] = 1.5), Value, "$.rules[0].cooldown_seconds" },
        { "cooldown as a string", With(r => r["cooldown_seconds"] = "30"), Value, "$.rules[0].cooldown_seconds" },
        { "max_open too big for an int", With(r => r["max_open"] = JsonNode.Parse("100000000000")), Value, "$.rules[0].max_open" },
        { "offset fractional", Set(Rule(type: "LIMIT")).Replace("\"max_open\":1", "\"max_open\":1,\"limit_offset_ticks\":0.5"), Value, "$.rules[0].limit_offset_ticks" },
        { "quantity 0", Set(Rule(quantity: "0")), Bounds, "$.rules[0].quantity" },
        { "quantity negative", Set(Rule(quantity: "-0.002")), Bounds, "$.rules[0].quantity" },
        { "quantity off the step", Set(Rule(quantity: "0.0015")), Bounds, "$.rules[0].quantity" },
        { "stop-loss 0", Set(Rule(sl: "0")), Bounds, "$.rules[0].stop_loss_pct" },
        { "stop-loss over 50", Set(Rule(sl: "50.01")), Bounds, "$.rules[0].stop_loss_pct" },
        { "take-profit negative", Set(Rule(tp: "-4")), Bounds, "$.rules[0].take_profit_pct" },
        { "cooldown negative", Set(Rule(cooldown: -1)), Bounds, "$.rules[0].cooldown_seconds" },
        { "max_open 0", Set(Rule(maxOpen: 0)), Bounds, "$.rules[0].max_open" },
        { "id with capitals and underscore", Set(Rule(id: "Fut_Long")), Bounds, "$.rules[0].id" },
        { "id starting with a dash", Set(Rule(id: "-long")), Bounds, "$.rules[0].id" },
        { "id of 41 characters", Set(Rule(id: new string('a', 41))), Bounds, "$.rules[0].id" },
        { "id with a trailing newline", Set(Rule(id: "long\n")), Bounds, "$.rules[0].id" },
        { "offset too far", Set(Rule(type: "LIMIT", offset: 1001)), Bounds, "$.rules[0].limit_offset_ticks" },
        { "blank name", Set("  ", Rule()), Bounds, "$.name" },
        { "imbalance beyond 1", When("imbalance > 1.5"), Bounds, "$.rules[0].when[0]" },
        { "negative spread", When("spread_bps > -1"), Bounds, "$.rules[0].when[0]" },
        { "symbol not listed", Set(Rule(symbols: ["DOGEUSDT"])), Symbol, "$.rules[0].symbols[0]" },
        { "symbol on the other market", Set(Rule(symbols: ["ETHUSDT"])), Symbol, "$.rules[0].symbols[0]" },
        { "symbol twice", Set(Rule(symbols: ["BTCUSDT", "btcusdt"])), DuplicateSymbol, "$.rules[0].symbols[1]" },
        { "id twice", Set(Rule("a"), Rule("b"), Rule("a")), DuplicateId, "$.rules[2].id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_problem_is_named_with_its_code_and_path(string name, string json, string code, string path)
    {
        var problem = Assert.Single(Problems(json));
        Assert.True((code, path) == (problem.Code, problem.Path), $"{name}: expected {code} at {path}, got {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
    }

    [Fact]
    public void The_cases_cover_every_code()
    {
        var covered = Cases.Select(c => (string)c[2]).ToHashSet();
        Assert.Equal(RuleProblemCodes.All.Order(), covered.Order());
    }

    [Fact]
    public void The_readme_tables_every_code()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "src/Tollgate.Markets/Strategy/README.md"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var rows = File.ReadAllLines(Path.Combine(directory.FullName, "src/Tollgate.Markets/Strategy/README.md"))
            .Where(l => l.StartsWith("| `STRAT-", StringComparison.Ordinal)).Select(l => l.Split('`')[1]);
        Assert.Equal(RuleProblemCodes.All, rows);
    }

    [Fact]
    public void Every_problem_is_named_not_only_the_first()
    {
        var bad = Rule("a", symbols: ["BTCUSDT", "DOGEUSDT"], when: ["foo =< bar", "imbalance > 0.2"], quantity: "0", sl: "60");
        bad["Quantity"] = "0.002";
        var alsoBad = Rule("a", side: "LONG");
        alsoBad.Remove("max_open");
        var json = new JsonObject { ["name"] = "x", ["rules"] = new JsonArray(bad, Rule("ok"), alsoBad), ["owner"] = "me" }.ToJsonString();

        var exception = Assert.Throws<RuleSetException>(() => Parse(json));
        (string, string)[] expected =
            [
                (UnknownField, "$.owner"),
                (UnknownField, "$.rules[0].Quantity"),
                (Symbol, "$.rules[0].symbols[1]"),
                (Feature, "$.rules[0].when[0]"),
                (Operator, "$.rules[0].when[0]"),
                (Value, "$.rules[0].when[0]"),
                (Bounds, "$.rules[0].quantity"),
                (Bounds, "$.rules[0].stop_loss_pct"),
                (Schema, "$.rules[2].max_open"),
                (DuplicateId, "$.rules[2].id"),
                (Value, "$.rules[2].side"),
            ];
        Assert.Equal(expected.Order(), exception.Problems.Select(p => (p.Code, p.Path)).Order());
        foreach (var problem in exception.Problems) Assert.Contains(problem.ToString(), exception.Message);
    }

    [Fact]
    public void The_bounds_are_inclusive_where_documented()
    {
        var set = Parse(Set(Rule(id: new string('a', 40), sl: "50", tp: "0.01", cooldown: 0),
            Rule("lim", type: "LIMIT", offset: -1000), Rule("lim2", type: "LIMIT", offset: 1000, when: ["imbalance >= -1", "microprice_edge_bps < -3"])));
        Assert.Equal(3, set.Rules.Count);
        Assert.Equal(0, set.Rules[0].CooldownSeconds);
    }

    [Fact]
    public void A_condition_parses_alone_and_throws_with_all_its_problems()
    {
        Assert.Equal("spread_bps < 10", RuleCondition.Parse("spread_bps<10.000").Text);
        Assert.Equal("imbalance > -0.2", RuleCondition.Parse(" imbalance >-0.20 ").Text);
        Assert.Equal("regime == CALM", RuleCondition.Parse("regime == calm").Text);
        var problems = Assert.Throws<RuleSetException>(() => RuleCondition.Parse("foo =< bar")).Problems;
        Assert.Equal([Feature, Operator, Value], problems.Select(p => p.Code));
    }
}
