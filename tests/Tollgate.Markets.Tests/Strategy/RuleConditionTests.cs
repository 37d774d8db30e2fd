using Tollgate.Markets.Features;
using Tollgate.Markets.Strategy;
using static Tollgate.Markets.Tests.Strategy.StrategyKit;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Strategy;

/// <summary>Conditions against hand-built feature events: every operator, every feature, and missing features.</summary>
public sealed class RuleConditionTests
{
    // bid 99.95 x3, ask 100.05 x1: mid 100, spread 0.1, spread_bps 10, microprice (99.95·1 + 100.05·3)/4 = 100.025,
    // microprice edge (100.025 − 100)/100 × 10⁴ = 2.5 bps.
    private static readonly FeatureEvent Known = Event(SpotEthUsdt, 7, 99.95m, 100.05m, bidQty: 3m, askQty: 1m,
        imbalance: 0.25m, atr: 1.5m, vol: 0.012m, regime: RegimeState.Calm);

    [Theory]
    [InlineData("<", "10", false)]
    [InlineData("<", "10.0001", true)]
    [InlineData("<=", "10", true)]
    [InlineData("<=", "9.9999", false)]
    [InlineData(">", "10", false)]
    [InlineData(">", "9.9999", true)]
    [InlineData(">=", "10", true)]
    [InlineData(">=", "10.0001", false)]
    [InlineData("==", "10.000", true)]
    [InlineData("==", "10.00001", false)]
    [InlineData("!=", "10", false)]
    [InlineData("!=", "11", true)]
    public void Each_operator_compares_the_feature_with_the_threshold(string op, string threshold, bool holds)
    {
        Assert.Equal(10m, Known.SpreadBps);
        Assert.Equal(holds, RuleCondition.Parse($"spread_bps {op} {threshold}").Holds(Known));
    }

    [Theory]
    [InlineData("mid", "100")]
    [InlineData("spread", "0.1")]
    [InlineData("spread_bps", "10")]
    [InlineData("microprice", "100.025")]
    [InlineData("microprice_edge_bps", "2.5")]
    [InlineData("imbalance", "0.25")]
    [InlineData("atr", "1.5")]
    [InlineData("realized_vol", "0.012")]
    public void Each_feature_reads_its_value_from_the_event(string feature, string value)
    {
        var condition = RuleCondition.Parse($"{feature} == {value}");
        Assert.True(condition.Holds(Known), $"{feature} is {condition.ObservedValue(Known)}");
        Assert.Equal(decimal.Parse(value), decimal.Parse(condition.ObservedValue(Known)!));
        Assert.False(RuleCondition.Parse($"{feature} != {value}").Holds(Known));
    }

    [Fact]
    public void The_microprice_edge_is_signed_and_rounded_to_four_places()
    {
        // bid 100 x1, ask 100.03 x2: microprice (100·2 + 100.03·1)/3 = 100.01, mid 100.015: edge −0.005/100.015 × 10⁴ = −0.499925 → −0.4999 bps.
        var e = Event(SpotEthUsdt, 1, 100m, 100.03m, bidQty: 1m, askQty: 2m);
        Assert.Equal(-0.4999m, StrategyFeature.MicropriceEdgeBps.Value(e));
        Assert.True(RuleCondition.Parse("microprice_edge_bps < 0").Holds(e));
    }

    [Theory]
    [InlineData("regime == CALM", true)]
    [InlineData("regime == NORMAL", false)]
    [InlineData("regime != CALM", false)]
    [InlineData("regime != VOLATILE", true)]
    public void The_regime_matches_by_name(string text, bool holds)
    {
        var condition = RuleCondition.Parse(text);
        Assert.Equal(holds, condition.Holds(Known));
        Assert.Equal("CALM", condition.ObservedValue(Known));
    }

    public static TheoryData<string> AllOperators => new() { "<", "<=", ">", ">=", "==", "!=" };

    [Theory]
    [MemberData(nameof(AllOperators))]
    public void A_missing_feature_never_holds_whatever_the_operator(string op)
    {
        var unknown = Event(SpotEthUsdt, 1, 99.95m, 100.05m, imbalance: null, atr: null, vol: null, regime: RegimeState.Unknown);
        foreach (var feature in new[] { "imbalance", "atr", "realized_vol" })
        {
            var condition = RuleCondition.Parse($"{feature} {op} 0");
            Assert.False(condition.Holds(unknown), condition.Text);
            Assert.Null(condition.ObservedValue(unknown));
        }
        var noBook = Event(SpotEthUsdt, 1, 0m, 0m);
        var crossed = Event(SpotEthUsdt, 1, 100.05m, 99.95m);
        foreach (var feature in new[] { "mid", "spread", "spread_bps", "microprice", "microprice_edge_bps" })
        {
            var condition = RuleCondition.Parse($"{feature} {op} 0");
            Assert.False(condition.Holds(noBook), $"{condition.Text} without a book");
            Assert.False(condition.Holds(crossed), $"{condition.Text} on a crossed book");
            Assert.Null(condition.ObservedValue(noBook));
        }
        if (op is "==" or "!=")
            foreach (var regime in new[] { "CALM", "NORMAL", "VOLATILE" })
                Assert.False(RuleCondition.Parse($"regime {op} {regime}").Holds(unknown), $"regime {op} {regime} while UNKNOWN");
    }
}
