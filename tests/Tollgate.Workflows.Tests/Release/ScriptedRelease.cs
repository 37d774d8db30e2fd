using System.Collections.Concurrent;
using Tollgate.Durable;
using Tollgate.Durable.InMemory;
using Tollgate.Durable.Worker;
using Tollgate.Workflows.Release;

namespace Tollgate.Workflows.Tests.Release;

/// <summary>
/// The release orchestrations on the in-memory engine with scripted activities: each analysis answers the next
/// decision of a script (CONTINUE when the script is empty), stages answer PASS unless told to fail, and every call
/// is recorded in order, so a test can say exactly which steps, weights, rollbacks and incidents happened.
/// </summary>
public sealed class ScriptedRelease : IAsyncDisposable
{
    public ConcurrentQueue<string> Calls { get; } = new();
    public ConcurrentQueue<string> Decisions { get; } = new();
    public ConcurrentQueue<AnalysisRequest> Analyses { get; } = new();
    public HashSet<string> FailingStages { get; } = [];
    public int AnalysisFailures;
    public DurableWorker Worker { get; }
    public DurableTaskClient Client { get; }

    public ScriptedRelease()
    {
        var registry = new DurableTaskRegistry().AddTollgateWorkflows();
        registry.AddActivity<ReleaseStart, ReleasePlan>(ReleaseActivityNames.Plan, (_, start) => Task.FromResult(Plan with { ReleaseId = start!.ReleaseId }));
        registry.AddActivity<StageRequest, StageOutcome>(ReleaseActivityNames.RunStage, (_, r) =>
        {
            Calls.Enqueue($"stage {r!.Stage}");
            var failed = FailingStages.Contains(r.Stage);
            return Task.FromResult(new StageOutcome(r.Stage, failed ? "FAIL" : "PASS", failed ? [$"PIPE-{r.Stage}-TEST"] : [], new Dictionary<string, string>(), 1));
        });
        registry.AddActivity<StageRecord, StageOutcome>(ReleaseActivityNames.RecordStage, (_, r) =>
        {
            Calls.Enqueue($"record {r!.Stage} {r.Result}");
            return Task.FromResult(new StageOutcome(r.Stage, r.Result, r.ReasonCodes, r.Facts, 2));
        });
        registry.AddActivity<ControlRecord, long>(ReleaseActivityNames.RecordControl, (_, r) => { Calls.Enqueue($"control {r!.Control.Action} step {r.Step}"); return Task.FromResult(3L); });
        registry.AddActivity<ApprovalRequest, ApprovalRequested>(ReleaseActivityNames.RequestApproval, (_, r) =>
        {
            Calls.Enqueue($"approval requested {r!.Purpose}");
            return Task.FromResult(new ApprovalRequested("ap-test"));
        });
        registry.AddActivity<WeightRequest, long>(ReleaseActivityNames.SetWeight, (_, r) => { Calls.Enqueue($"weight {r!.WeightBasisPoints}"); return Task.FromResult((long)r.Step); });
        registry.AddActivity<AnalysisRequest, AnalysisOutcome>(ReleaseActivityNames.Analyze, (_, r) =>
        {
            Analyses.Enqueue(r!);
            if (Interlocked.Decrement(ref AnalysisFailures) >= 0) throw new InvalidOperationException("the metric source is down");
            var decision = Decisions.TryDequeue(out var next) ? next : "CONTINUE";
            Calls.Enqueue($"analysis step {r!.Step} look {r.Look}{(r.Final ? " final" : "")} {decision}");
            return Task.FromResult(new AnalysisOutcome($"{r.ReleaseId}:{r.Step}:{r.Look}", decision, decision == "ROLLBACK" ? ["CAN-GUARD-ERROR-RATE"] : [], decision, 4));
        });
        registry.AddActivity<CompleteRequest, StageOutcome>(ReleaseActivityNames.Complete, (_, r) =>
        {
            Calls.Enqueue($"switch with {r!.ApprovalId}");
            return Task.FromResult(new StageOutcome("SWITCH", "PASS", [], new Dictionary<string, string>(), 5));
        });
        registry.AddActivity<RollbackRequest, RevertOutcome>(ReleaseActivityNames.RevertTraffic, (_, r) => { Calls.Enqueue($"revert {string.Join(",", r!.ReasonCodes)}"); return Task.FromResult(new RevertOutcome(9, DateTime.UtcNow)); });
        registry.AddActivity<AcknowledgementWait, AcknowledgementOutcome>(ReleaseActivityNames.AwaitAcknowledgements, (_, w) =>
        {
            Calls.Enqueue($"acks {w!.SplitSequence}");
            return Task.FromResult(new AcknowledgementOutcome(AcksComplete, ["host-a"], AcksComplete ? [] : ["host-b"], 12.5));
        });
        registry.AddActivity<string, bool>(ReleaseActivityNames.VerifyHealth, (_, _) => Task.FromResult(true));
        registry.AddActivity<KillRequest, long>(ReleaseActivityNames.EngageKillSwitch, (_, k) => { Calls.Enqueue($"kill {string.Join(",", k!.ReasonCodes)}"); return Task.FromResult(1L); });
        registry.AddActivity<IncidentOpen, long>(ReleaseActivityNames.OpenIncident, (_, i) => { Calls.Enqueue($"incident {i!.Class} {i.Severity}"); return Task.FromResult(6L); });
        registry.AddActivity<DeployEventRequest, StageOutcome>(ReleaseActivityNames.WriteDeployEvent, (_, r) =>
        {
            Calls.Enqueue($"deploy event {r!.Result} {string.Join(",", r.ReasonCodes)}");
            return Task.FromResult(new StageOutcome(ReleaseStages.AuditRecord, "PASS", [], new Dictionary<string, string>(), 7));
        });
        Worker = new DurableWorker(InMemoryBackend.Create(), registry);
        Client = Worker.CreateClient();
    }

    public bool AcksComplete { get; set; } = true;

    /// <summary>Three steps of one-second windows and a one-second final watch; the last step waits for an approval.</summary>
    public ReleasePlan Plan { get; set; } = new("rel-test", "Paper", "config_bundle", "vm-candidate", "policy-test",
        [new PlanStep(1000, 2, false), new PlanStep(5000, 2, false), new PlanStep(10_000, 0, true)], 1, 1, "pause", 10, false, 30, "ci");

    public async Task<string> StartAsync()
    {
        await Worker.StartAsync();
        return await Client.ScheduleNewOrchestrationInstanceAsync(DeployPipeline.Name, new ReleaseStart("rel-test", "ci"), new StartOrchestrationOptions("rel-test"));
    }

    public async Task<PipelineResult> ResultAsync(int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var done = await Client.WaitForInstanceCompletionAsync("rel-test", getInputsAndOutputs: true, timeout.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<PipelineResult>()!;
    }

    /// <summary>Waits until a call matching <paramref name="prefix"/> was made.</summary>
    public async Task WaitForCallAsync(string prefix, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Calls.Any(c => c.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no call '{prefix}' in: {string.Join(" | ", Calls)}");
            await Task.Delay(20);
        }
    }

    public Task ApproveAsync(string state = "APPROVED") =>
        Client.RaiseEventAsync("rel-test:canary", ReleaseEvents.Approval, new { approval_id = "ap-test", state, decided_by = "tariq", reason_codes = state == "APPROVED" ? Array.Empty<string>() : ["RISK-X"], ledger_index = 8 });

    public Task ControlAsync(string action) => Client.RaiseEventAsync("rel-test:canary", ReleaseEvents.Control, new ReleaseControl(action, "olivia", "test"));

    public async ValueTask DisposeAsync() => await Worker.DisposeAsync();
}
