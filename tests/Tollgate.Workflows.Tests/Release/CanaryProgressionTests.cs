using Tollgate.Workflows.Release;

namespace Tollgate.Workflows.Tests.Release;

/// <summary>The pipeline and canary orchestrations with scripted activities: every path a release can take, call by call.</summary>
public sealed class CanaryProgressionTests
{
    [Fact]
    public async Task A_promoted_canary_goes_through_every_step_waits_for_the_approval_and_switches_with_it()
    {
        await using var release = new ScriptedRelease();
        for (var i = 0; i < 20; i++) release.Decisions.Enqueue("PROMOTE");
        await release.StartAsync();
        await release.WaitForCallAsync("approval requested");
        await release.ApproveAsync();
        var result = await release.ResultAsync();

        Assert.Equal("SUCCESS", result.Result);
        var calls = release.Calls.ToList();
        Assert.Equal(["weight 1000", "weight 5000", "weight 10000"], calls.Where(c => c.StartsWith("weight")));
        Assert.Contains("switch with ap-test", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("revert"));
        Assert.Equal("deploy event SUCCESS ", calls[^1]);
    }

    [Fact]
    public async Task A_rollback_analysis_reverts_at_once_opens_a_P1_incident_and_never_switches()
    {
        await using var release = new ScriptedRelease();
        release.Decisions.Enqueue("ROLLBACK");
        await release.StartAsync();
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Contains("CAN-GUARD-ERROR-RATE", result.ReasonCodes);
        var calls = release.Calls.ToList();
        Assert.Equal(["weight 1000"], calls.Where(c => c.StartsWith("weight")));
        var revert = calls.IndexOf("revert CAN-GUARD-ERROR-RATE");
        Assert.True(revert > calls.IndexOf("analysis step 1 look 1 ROLLBACK"), string.Join(" | ", calls));
        Assert.True(calls.IndexOf("acks 9") > revert);
        Assert.Contains("incident INC-OPS P1", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("switch") || c.StartsWith("kill") || c.StartsWith("approval"));
        Assert.Equal("deploy event ROLLED_BACK CAN-GUARD-ERROR-RATE", calls[^1]);
        Assert.Equal("COMPLETE", result.Canary!.Rollback!.Result);
    }

    [Fact]
    public async Task A_failed_stage_ends_the_pipeline_before_any_traffic_moves()
    {
        await using var release = new ScriptedRelease();
        release.FailingStages.Add(ReleaseStages.Verify);
        await release.StartAsync();
        var result = await release.ResultAsync();

        Assert.Equal("FAIL", result.Result);
        Assert.Equal(["PIPE-VERIFY-TEST", ReleaseReasons.StageFailed], result.ReasonCodes);
        var calls = release.Calls.ToList();
        Assert.DoesNotContain(calls, c => c.StartsWith("weight") || c.StartsWith("analysis") || c.StartsWith("switch"));
        // Deploy had staged the candidate beside the active map, so the failure unstages it and waits for every host.
        Assert.True(calls.IndexOf("acks 9") > calls.IndexOf("revert PIPE-VERIFY-TEST"));
        Assert.Null(result.Canary);
        Assert.StartsWith("deploy event FAIL", calls[^1]);
    }

    [Theory]
    [InlineData("VETOED", ReleaseReasons.ApprovalVetoed)]
    [InlineData("RETURNED", ReleaseReasons.ApprovalReturned)]
    public async Task A_refused_approval_before_100_percent_rolls_the_canary_back(string state, string code)
    {
        await using var release = new ScriptedRelease();
        for (var i = 0; i < 20; i++) release.Decisions.Enqueue("PROMOTE");
        await release.StartAsync();
        await release.WaitForCallAsync("approval requested");
        await release.ApproveAsync(state);
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Equal([code, "RISK-X"], result.ReasonCodes);
        var calls = release.Calls.ToList();
        Assert.Equal(["weight 1000", "weight 5000"], calls.Where(c => c.StartsWith("weight")));
        Assert.Contains($"revert {code},RISK-X", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("switch"));
    }

    [Fact]
    public async Task An_unanswered_approval_times_out_and_rolls_back()
    {
        await using var release = new ScriptedRelease();
        release.Plan = release.Plan with { ApprovalTimeoutSeconds = 1 };
        for (var i = 0; i < 20; i++) release.Decisions.Enqueue("PROMOTE");
        await release.StartAsync();
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Equal([ReleaseReasons.ApprovalTimeout], result.ReasonCodes);
        Assert.DoesNotContain(release.Calls, c => c.StartsWith("switch"));
    }

    [Fact]
    public async Task An_abort_while_the_release_waits_for_its_approval_rolls_back_without_the_approval()
    {
        await using var release = new ScriptedRelease();
        for (var i = 0; i < 20; i++) release.Decisions.Enqueue("PROMOTE");
        await release.StartAsync();
        await release.WaitForCallAsync("approval requested");
        await release.ControlAsync(ReleaseControls.Pause);
        await release.WaitForCallAsync("control pause step 3");
        await release.ControlAsync(ReleaseControls.Abort);
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Equal([ReleaseReasons.Aborted], result.ReasonCodes);
        var calls = release.Calls.ToList();
        Assert.Contains("control abort step 3", calls);
        Assert.Contains("incident INC-OPS P2", calls);
        Assert.Equal(["weight 1000", "weight 5000"], calls.Where(c => c.StartsWith("weight")));
    }

    [Fact]
    public async Task An_operator_abort_mid_window_rolls_back_with_a_P2_incident()
    {
        await using var release = new ScriptedRelease();
        release.Plan = release.Plan with { Steps = [new PlanStep(1000, 60, false), new PlanStep(10_000, 0, false)] };
        await release.StartAsync();
        await release.WaitForCallAsync("analysis step 1 look 1");
        await release.ControlAsync(ReleaseControls.Abort);
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Equal([ReleaseReasons.Aborted], result.ReasonCodes);
        var calls = release.Calls.ToList();
        Assert.Contains("control abort step 1", calls);
        Assert.Contains("revert REL-ABORTED", calls);
        Assert.Contains("incident INC-OPS P2", calls);
        Assert.Equal(["weight 1000"], calls.Where(c => c.StartsWith("weight")));
    }

    [Fact]
    public async Task Three_failed_analyses_in_a_row_roll_back_as_unavailable_never_as_a_pass()
    {
        await using var release = new ScriptedRelease { AnalysisFailures = 3 };
        await release.StartAsync();
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Equal([ReleaseReasons.AnalysisUnavailable], result.ReasonCodes);
        Assert.Equal(3, release.Analyses.Count);
        Assert.DoesNotContain(release.Calls, c => c.StartsWith("analysis") || c == "weight 5000");
    }

    [Fact]
    public async Task An_inconclusive_window_pauses_and_a_resume_watches_again_from_the_same_start_until_a_pass()
    {
        await using var release = new ScriptedRelease();
        release.Decisions.Enqueue("CONTINUE");
        release.Decisions.Enqueue("INCONCLUSIVE");
        await release.StartAsync();
        await release.WaitForCallAsync("analysis step 1 look 2 final INCONCLUSIVE");
        await release.WaitForCallAsync("analysis step 1 look 4 "); // paused: the looks go on, none is final, none advances
        Assert.DoesNotContain(release.Calls, c => c == "weight 5000" || c.Contains(" look 3 final") || c.Contains(" look 4 final"));

        for (var i = 0; i < 30; i++) release.Decisions.Enqueue("PROMOTE");
        await release.ControlAsync(ReleaseControls.Resume);
        await release.WaitForCallAsync("approval requested");
        await release.ApproveAsync();
        var result = await release.ResultAsync();

        Assert.Equal("SUCCESS", result.Result);
        var stepOne = release.Analyses.Where(a => a.Step == 1).ToList();
        Assert.Single(stepOne.Select(a => a.WindowStart).Distinct()); // the samples of the first watch are kept
        Assert.Contains(stepOne, a => a.Final && a.Look > 4);
        Assert.Contains("control resume step 1", release.Calls);
    }

    [Fact]
    public async Task Promote_full_skips_the_middle_step_but_not_the_approval_or_the_final_watch()
    {
        await using var release = new ScriptedRelease();
        release.Plan = release.Plan with { Steps = [new PlanStep(1000, 60, false), new PlanStep(5000, 60, false), new PlanStep(10_000, 0, true)] };
        for (var i = 0; i < 20; i++) release.Decisions.Enqueue("PROMOTE");
        await release.StartAsync();
        await release.WaitForCallAsync("analysis step 1 look 1");
        await release.ControlAsync(ReleaseControls.PromoteFull);
        await release.WaitForCallAsync("approval requested");
        await release.ApproveAsync();
        var result = await release.ResultAsync();

        Assert.Equal("SUCCESS", result.Result);
        var calls = release.Calls.ToList();
        Assert.Equal(["weight 1000", "weight 10000"], calls.Where(c => c.StartsWith("weight")));
        Assert.Contains(calls, c => c.StartsWith("analysis step 4 ") && c.Contains(" final"));
    }

    [Fact]
    public async Task A_rollback_no_host_confirms_in_time_engages_the_kill_switch()
    {
        await using var release = new ScriptedRelease { AcksComplete = false };
        release.Decisions.Enqueue("ROLLBACK");
        await release.StartAsync();
        var result = await release.ResultAsync();

        Assert.Equal("ROLLED_BACK", result.Result);
        Assert.Equal(["CAN-GUARD-ERROR-RATE", ReleaseReasons.RollbackUnconfirmed], result.ReasonCodes);
        var rollback = result.Canary!.Rollback!;
        Assert.Equal("INCOMPLETE", rollback.Result);
        Assert.Equal(["host-b"], rollback.Missing);
        var calls = release.Calls.ToList();
        Assert.True(calls.IndexOf($"kill {ReleaseReasons.RollbackUnconfirmed}") > calls.IndexOf("acks 9"), string.Join(" | ", calls));
    }
}
