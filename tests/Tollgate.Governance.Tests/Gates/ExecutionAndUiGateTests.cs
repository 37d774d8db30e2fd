using Tollgate.Governance.Gates;
using Tollgate.Governance.Gates.Checks;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Gates;

/// <summary>Execution control and UI spec: what can be checked passes, what is not built yet is reported as such and returns the gate.</summary>
public sealed class ExecutionAndUiGateTests
{
    [Fact]
    public async Task Without_an_order_path_for_the_environment_its_checks_say_they_cannot_look_and_the_gate_returns()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.ExecutionControl, release.Request);

        Assert.Equal(CheckVerdict.Pass, Release.Check(evaluation, "EC-01").Verdict);
        Assert.Equal(CheckVerdict.Pass, Release.Check(evaluation, "EC-04").Verdict);
        Assert.Equal(["EC-02", "EC-03", "EC-05"], evaluation.Checks.Where(check => check.Verdict == CheckVerdict.NotEvaluable).Select(check => check.Id));
        Assert.Equal(["EXE-CHANNEL-OFF"], Release.Check(evaluation, "EC-02").ReasonCodes);
        Assert.Equal(["EXE-IDEMPOTENCY-OFF"], Release.Check(evaluation, "EC-03").ReasonCodes);
        Assert.Equal(["EXE-RECON-OFF"], Release.Check(evaluation, "EC-05").ReasonCodes);
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
    }

    [Fact]
    public async Task A_healthy_order_path_reconciled_recently_passes_execution_control()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        world.OrderPath.Status = Healthy(world.Clock.GetUtcNow() - TimeSpan.FromMinutes(14));
        var evaluation = await Release.EvaluateAsync(world, GateName.ExecutionControl, release.Request);
        Assert.All(evaluation.Checks, check => Assert.Equal(CheckVerdict.Pass, check.Verdict));
        Assert.Equal(GateVerdict.Pass, evaluation.Verdict);
        Assert.Contains("in sync", Release.Check(evaluation, "EC-02").Detail);
    }

    [Theory]
    [InlineData("unhealthy", "EC-02", "VETO", "EXE-CHANNEL-UNHEALTHY")]
    [InlineData("failed", "EC-05", "VETO", "EXE-RECON-FAIL")]
    [InlineData("stale", "EC-05", "RETURN", "EXE-RECON-STALE")]
    [InlineData("never", "EC-05", "RETURN", "EXE-RECON-STALE")]
    public async Task An_unhealthy_channel_or_a_failed_or_stale_reconciliation_stops_execution_control(string scene, string check, string verdict, string code)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var now = world.Clock.GetUtcNow();
        var healthy = Healthy(now);
        world.OrderPath.Status = scene switch
        {
            "unhealthy" => healthy with { ChannelHealthy = false, ChannelDetail = "no synced book for SPOT:BTCUSDT" },
            "failed" => healthy with { ReconciliationResult = "FAIL", ReconciliationDetail = "recon-1: FAIL, fills agree 0.5" },
            "stale" => healthy with { ReconciledAt = now - TimeSpan.FromMinutes(16) },
            _ => healthy with { ReconciliationResult = null, ReconciledAt = null },
        };
        var evaluation = await Release.EvaluateAsync(world, GateName.ExecutionControl, release.Request);
        var result = Release.Check(evaluation, check);
        Assert.Equal(verdict, result.Verdict == CheckVerdict.Veto ? "VETO" : result.Verdict == CheckVerdict.Return ? "RETURN" : result.Verdict.ToString());
        Assert.Equal([code], result.ReasonCodes);
        Assert.NotEqual(GateVerdict.Pass, evaluation.Verdict);
    }

    private static OrderPathStatus Healthy(DateTimeOffset reconciledAt) => new("paper", true, "every routed book (3) is in sync, so Paper can fill",
        "every intent is routed by its client order id", "PASS", reconciledAt, "recon-1: PASS, open orders agree 1, fills 1");

    [Fact]
    public async Task Execution_control_vetoes_a_kill_switch_that_cannot_be_triggered()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        world.Table.InsertFault = partition => partition == "kill-preflight" ? new IOException("storage down") : null;
        var evaluation = await Release.EvaluateAsync(world, GateName.ExecutionControl, release.Request);
        Assert.Equal(GateVerdict.Veto, evaluation.Verdict);
        Assert.Equal([GovernanceReasons.KillSwitchUnavailable], Release.Check(evaluation, "EC-01").ReasonCodes);
        Assert.Contains("refused a write", Release.Check(evaluation, "EC-01").Detail);
    }

    [Fact]
    public async Task An_evaluation_that_cannot_be_recorded_is_not_answered()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var size = world.LedgerSize;
        world.Audit.Down = true;
        await Refused.WithAsync(GovernanceReasons.AuditUnavailable, () => Release.EvaluateAsync(world, GateName.ExecutionControl, release.Request));
        world.Audit.Down = false;
        Assert.Equal(size, world.LedgerSize);
        Assert.Empty(await world.Gates.StandingAsync(release.Request.ReleaseId, CancellationToken.None));
    }

    [Fact]
    public async Task Ui_spec_passes_the_exercised_approval_rules_and_returns_for_the_console_not_built()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.UiSpec, release.Request);

        Assert.Equal(CheckVerdict.Pass, Release.Check(evaluation, "UI-01").Verdict);
        Assert.Equal(CheckVerdict.Pass, Release.Check(evaluation, "UI-02").Verdict);
        Assert.Equal(["UI-TRACE-NOT-BUILT"], Release.Check(evaluation, "UI-03").ReasonCodes);
        Assert.Equal(["UI-CONSOLE-NOT-BUILT"], Release.Check(evaluation, "UI-04").ReasonCodes);
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
    }

    public static TheoryData<string> NotBuilt => [.. GateCatalog.All.OfType<NotBuiltCheck>().Select(check => check.Id)];

    [Theory]
    [MemberData(nameof(NotBuilt))]
    public async Task A_check_of_a_subsystem_not_built_is_never_a_pass(string id)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var check = GateCatalog.All.Single(c => c.Id == id);
        var result = await check.EvaluateAsync(new GateContext(release.Request, world.VersionMaps, world.Audit, world.Content, world.KillSwitch, world.Options,
            new RecentlyVerified(TimeProvider.System), NoOrderPath.Instance, world.Clock.GetUtcNow()),
            CancellationToken.None);
        Assert.Equal(CheckVerdict.NotEvaluable, result.Verdict);
        Assert.Single(result.ReasonCodes);
        Assert.Equal(GateVerdict.Return, GateNames.Combine([CheckResult.Pass("X-01", "fine"), result]));
    }
}
