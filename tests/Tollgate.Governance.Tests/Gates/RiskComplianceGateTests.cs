using Tollgate.Governance.Gates;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Gates;

public sealed class RiskComplianceGateTests
{
    [Fact]
    public async Task A_release_with_its_policy_rulebook_and_codes_in_order_passes()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request);
        Assert.Equal(GateVerdict.Pass, evaluation.Verdict);
        Assert.Equal(["RC-01", "RC-02", "RC-03"], evaluation.Checks.Select(check => check.Id));
    }

    [Fact]
    public async Task An_absent_rulebook_snapshot_is_vetoed_as_missing()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world, storeRulebook: false);
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request);
        Assert.Equal(GateVerdict.Veto, evaluation.Verdict);
        var check = Release.Check(evaluation, "RC-02");
        Assert.Equal((CheckVerdict.Veto, "RISK-RULEBOOK-MISSING"), (check.Verdict, Assert.Single(check.ReasonCodes)));
    }

    [Fact]
    public async Task A_rulebook_whose_stored_bytes_do_not_hash_to_its_reference_is_vetoed_as_corrupt()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        world.Content.Corrupt(release.RulebookDigest, "rulebook v7: snapshot 2026-02-01 (edited)\n"u8.ToArray());
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request);
        Assert.Equal(GateVerdict.Veto, evaluation.Verdict);
        Assert.Equal(["RISK-RULEBOOK-CORRUPT"], Release.Check(evaluation, "RC-02").ReasonCodes);
    }

    [Fact]
    public async Task A_missing_candidate_map_vetoes_both_policy_and_rulebook()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request with { VersionMapId = null });
        Assert.Equal(["RISK-POLICY-UNLOCATABLE"], Release.Check(evaluation, "RC-01").ReasonCodes);
        Assert.Equal(["RISK-RULEBOOK-MISSING"], Release.Check(evaluation, "RC-02").ReasonCodes);
        Assert.Equal(GateVerdict.Veto, evaluation.Verdict);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task A_policy_without_an_artifact_or_not_in_the_store_is_vetoed_as_unlocatable(bool withArtifact, bool stored)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world, storePolicy: stored, withPolicyArtifact: withArtifact);
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request);
        Assert.Equal(["RISK-POLICY-UNLOCATABLE"], Release.Check(evaluation, "RC-01").ReasonCodes);
        Assert.Equal(GateVerdict.Veto, evaluation.Verdict);
    }

    [Fact]
    public async Task Undeclared_veto_codes_return_the_release()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request with { VetoReasonCodes = [] });
        Assert.Equal(["RISK-REASON-CODES-UNDECLARED"], Release.Check(evaluation, "RC-03").ReasonCodes);
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
    }

    [Theory]
    [InlineData("risk limit")]
    [InlineData("RISK_LIMIT")]
    public async Task An_invalid_or_duplicated_veto_code_is_vetoed_as_unmapped(string extra)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request with
        {
            VetoReasonCodes = [.. Release.Codes, new VetoCode(extra, "again")],
        });
        Assert.Equal(["RISK-REASON-UNMAPPED"], Release.Check(evaluation, "RC-03").ReasonCodes);
        Assert.Equal(GateVerdict.Veto, evaluation.Verdict);
    }
}
