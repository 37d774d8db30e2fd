using Tollgate.Durable;
using Tollgate.Workflows;

namespace Tollgate.Host.Testing;

/// <summary>What the probe does: <see cref="Steps"/> effects, a durable timer of <see cref="TimerSeconds"/>, one more effect.</summary>
public sealed record CrashProbeInput(string? InstanceKey = null, int Steps = 3, int TimerSeconds = 1);

/// <summary>
/// TEST ONLY — registered only when <c>TOLLGATE_TEST_WORKFLOWS=1</c>. The crash tests run it, kill
/// the host at an engine fault point, and check from the effects file that every effect was
/// applied exactly once: <see cref="EffectActivity"/> is an idempotent external effect keyed by
/// <see cref="TaskActivityContext.IdempotencyKey"/>.
/// </summary>
public static class CrashProbe
{
    public const string Name = "CrashProbe";
    public const string EffectActivity = "CrashProbe.Effect";

    public static void Register(DurableTaskRegistry registry, string? effectsFile)
    {
        registry.AddOrchestrator<CrashProbeInput, int>(Name, RunAsync);
        registry.AddActivity<string, bool>(EffectActivity, (context, _) =>
        {
            if (effectsFile is null)
                throw new InvalidOperationException("TOLLGATE_EFFECTS_FILE is not set: the CrashProbe workflow has nowhere to record effects.");
            return EffectsFile.ApplyAsync(effectsFile, context.IdempotencyKey);
        });
    }

    public static async Task<int> RunAsync(TaskOrchestrationContext context, CrashProbeInput? input)
    {
        input ??= new CrashProbeInput();
        if (input.Steps is < 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(input), input.Steps, "Steps must be 0-1000.");
        if (input.TimerSeconds is < 0 or > 3600) throw new ArgumentOutOfRangeException(nameof(input), input.TimerSeconds, "TimerSeconds must be 0-3600.");
        var total = input.Steps + 1;
        for (var step = 0; step < input.Steps; step++)
        {
            context.SetCustomStatus(new WorkflowProgress("effects", step, total, input.InstanceKey));
            await context.CallActivityAsync<bool>(EffectActivity, input.InstanceKey);
        }
        context.SetCustomStatus(new WorkflowProgress("timer", input.Steps, total, $"{input.TimerSeconds}s"));
        await context.CreateTimer(TimeSpan.FromSeconds(input.TimerSeconds));
        await context.CallActivityAsync<bool>(EffectActivity, input.InstanceKey);
        context.SetCustomStatus(new WorkflowProgress("done", total, total));
        return total;
    }
}
