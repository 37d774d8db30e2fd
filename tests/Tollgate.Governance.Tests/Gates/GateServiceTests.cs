using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Gates;

public sealed class GateServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<GateName> Gates => [.. GateNames.All];

    [Theory]
    [MemberData(nameof(Gates))]
    public async Task Every_evaluation_is_a_gate_result_entry_carrying_every_check(GateName gate)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, gate, release.Request);

        var entry = Assert.Single(await world.EntriesAsync("gate_result"));
        var payload = World.PayloadOf(entry);
        Assert.Equal((GateNames.Of(gate), GateNames.Of(evaluation.Verdict), evaluation.EvaluationId, "rel-7"),
            (payload.GetProperty("gate").GetString(), payload.GetProperty("verdict").GetString(), payload.GetProperty("evaluation_id").GetString(),
                payload.GetProperty("release_id").GetString()));
        var checks = payload.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(GateCatalog.Of(gate).Select(check => check.Id), checks.Select(check => check.GetProperty("id").GetString()));
        Assert.Equal(evaluation.Checks.Select(check => GateNames.Of(check.Verdict)), checks.Select(check => check.GetProperty("verdict").GetString()));
        Assert.Equal((People.Pipeline.Subject, "Paper"), (entry.Fields.Actor, entry.Fields.Environment));
        Assert.Equal(evaluation.LedgerIndex, world.Writer.Find(entry.Key));
    }

    [Theory]
    [MemberData(nameof(Gates))]
    public async Task An_evaluation_reads_back_by_its_id_as_it_was_answered(GateName gate)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var answered = await Release.EvaluateAsync(world, gate, release.Request);
        var read = await world.Gates.GetAsync(answered.EvaluationId, None);

        Assert.Equal((answered.Gate, answered.Verdict, answered.LedgerIndex, answered.EvaluatedBy), (read.Gate, read.Verdict, read.LedgerIndex, read.EvaluatedBy));
        Assert.Equal(answered.Checks, read.Checks, (a, b) => a.Id == b.Id && a.Verdict == b.Verdict && a.ReasonCodes.SequenceEqual(b.ReasonCodes) && a.Detail == b.Detail);
        Assert.Equal(release.Request.DocumentIndex, read.Request.DocumentIndex);
        Assert.Equal(release.Request.VetoReasonCodes, read.Request.VetoReasonCodes);
        Assert.Equal((release.Request.Environment, release.Request.ReleaseId, release.Request.VersionMapId),
            (read.Request.Environment, read.Request.ReleaseId, read.Request.VersionMapId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("eval-VERSION_AUDIT-0123456789abcdef-1")]
    [InlineData("eval-NOT_A_GATE-0123456789abcdef-1")]
    [InlineData("eval-VERSION_AUDIT-0123456789abcdef-0")]
    [InlineData("../../etc/passwd")]
    public async Task An_unknown_evaluation_id_is_not_found(string id)
    {
        await using var world = await World.OpenAsync();
        await Refused.WithAsync(GovernanceReasons.EvaluationNotFound, () => world.Gates.GetAsync(id, None));
    }

    [Fact]
    public async Task An_evaluation_id_with_a_trailing_newline_is_not_found()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.UiSpec, release.Request);
        await Refused.WithAsync(GovernanceReasons.EvaluationNotFound, () => world.Gates.GetAsync(evaluation.EvaluationId + "\n", None));
    }

    [Fact]
    public async Task The_standing_verdict_of_each_gate_is_its_latest_evaluation()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var returned = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with { DocumentIndex = null });
        var passed = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request);
        var vetoed = await Release.EvaluateAsync(world, GateName.RiskCompliance, release.Request with { VersionMapId = null });
        await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with { ReleaseId = "rel-other", DocumentIndex = null });

        var standing = await world.Gates.StandingAsync("rel-7", None);

        Assert.Equal((GateVerdict.Return, GateVerdict.Pass), (returned.Verdict, passed.Verdict));
        Assert.NotEqual(returned.EvaluationId, passed.EvaluationId);
        Assert.Equal(["VERSION_AUDIT", "RISK_COMPLIANCE"], standing.Select(verdict => verdict.Gate));
        Assert.Equal(("PASS", passed.EvaluationId, false), (standing[0].Verdict, standing[0].EvaluationId, standing[0].Blocks));
        Assert.Equal(("VETO", vetoed.EvaluationId, true), (standing[1].Verdict, standing[1].EvaluationId, standing[1].Blocks));
        Assert.Equal(["RISK-POLICY-UNLOCATABLE", "RISK-RULEBOOK-MISSING"], standing[1].ReasonCodes);
        Assert.Empty(await world.Gates.StandingAsync("rel-never", None));
    }

    [Fact]
    public async Task Parallel_evaluations_of_one_gate_and_release_each_get_their_own_id_and_none_waits()
    {
        await using var world = await World.OpenAsync();
        world.Clock.TickPerRead = TimeSpan.FromMilliseconds(1);
        var release = await Release.RegisterAsync(world);

        var evaluations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Release.EvaluateAsync(world, GateName.UiSpec, release.Request))));

        Assert.Equal(8, evaluations.Select(evaluation => evaluation.EvaluationId).Distinct().Count());
        Assert.Equal(8, (await world.EntriesAsync("gate_result")).Count);
    }

    [Fact]
    public async Task A_shared_account_cannot_evaluate_a_live_grade_release()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.Gates.EvaluateAsync(People.SharedOperator, GateName.VersionAudit, release.Request, None));
        var research = await Release.RegisterAsync(world, DeploymentEnvironment.Research, "rel-research");
        Assert.Equal(GateVerdict.Pass, (await world.Gates.EvaluateAsync(People.SharedOperator, GateName.VersionAudit, research.Request, None)).Verdict);
    }

    [Theory]
    [InlineData("VERSION_AUDIT", GateName.VersionAudit)]
    [InlineData("RISK_COMPLIANCE", GateName.RiskCompliance)]
    [InlineData("EXECUTION_CONTROL", GateName.ExecutionControl)]
    [InlineData("UI_SPEC", GateName.UiSpec)]
    public void Gate_names_parse_exactly_as_written(string name, GateName gate)
    {
        Assert.Equal(gate, GateNames.Parse(name));
        Assert.Equal(name, GateNames.Of(gate));
    }

    [Theory]
    [InlineData("version_audit")]
    [InlineData("VersionAudit")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_an_unknown_gate(string? name) => Refused.With(GovernanceReasons.UnknownGate, () => GateNames.Parse(name));
}
