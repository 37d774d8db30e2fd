using CsCheck;
using Tollgate.Governance.Gates;

namespace Tollgate.Governance.Tests.Gates;

public sealed class GateCatalogTests
{
    private static readonly Gen<CheckVerdict> Verdict = Gen.Enum<CheckVerdict>();
    private static readonly Gen<List<CheckResult>> Checks =
        Verdict.Select(verdict => new CheckResult("X-01", verdict, verdict == CheckVerdict.Pass ? [] : ["CODE"], "detail")).List[0, 12];

    [Fact]
    public void Every_check_has_a_unique_id_and_every_gate_has_checks()
    {
        Assert.Equal(GateCatalog.All.Count, GateCatalog.All.Select(check => check.Id).Distinct().Count());
        Assert.All(GateNames.All, gate => Assert.NotEmpty(GateCatalog.Of(gate)));
        Assert.Equal(16, GateCatalog.All.Count);
    }

    [Fact]
    public void Any_veto_vetoes_the_gate() =>
        Checks.Where(checks => checks.Any(check => check.Verdict == CheckVerdict.Veto))
            .Sample(checks => GateNames.Combine(checks) == GateVerdict.Veto);

    [Fact]
    public void Only_checks_that_all_pass_pass_the_gate() =>
        Checks.Sample(checks => (GateNames.Combine(checks) == GateVerdict.Pass) == (checks.Count > 0 && checks.All(check => check.Verdict == CheckVerdict.Pass)));

    [Fact]
    public void Without_a_veto_anything_short_of_all_pass_returns_the_gate() =>
        Checks.Where(checks => checks.All(check => check.Verdict != CheckVerdict.Veto) && !(checks.Count > 0 && checks.All(check => check.Verdict == CheckVerdict.Pass)))
            .Sample(checks => GateNames.Combine(checks) == GateVerdict.Return);

    [Fact]
    public void No_checks_at_all_is_not_a_pass() => Assert.Equal(GateVerdict.Return, GateNames.Combine([]));

    [Fact]
    public void The_order_of_the_checks_does_not_change_the_verdict() =>
        Checks.Sample(checks => GateNames.Combine(checks) == GateNames.Combine(Enumerable.Reverse(checks)));
}
