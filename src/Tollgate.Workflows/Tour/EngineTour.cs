using System.Security.Cryptography;
using System.Text;
using Tollgate.Durable;

namespace Tollgate.Workflows.Tour;

/// <summary>What the tour does: a chain of <see cref="Steps"/>, a fan-out of <see cref="FanOut"/>, one durable timer.</summary>
public sealed record EngineTourInput(string Subject = "tollgate", int Steps = 5, int FanOut = 20, int TimerSeconds = 1)
{
    public void Validate()
    {
        if (Steps is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Must be 1-1000.");
        if (FanOut is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(FanOut), FanOut, "Must be 1-10000.");
        if (TimerSeconds is < 0 or > 3600) throw new ArgumentOutOfRangeException(nameof(TimerSeconds), TimerSeconds, "Must be 0-3600.");
    }
}

/// <summary>The chain's final digest, the fan-out's combined digest, and when the timer fired.</summary>
public sealed record EngineTourResult(string ChainDigest, string FanOutDigest, int ActivitiesRun, DateTime TimerFiredAt);

/// <summary>
/// The engine's building blocks on a harmless payload, for the local demo and smoke tests: a chain
/// of activities where each step hashes the previous digest, a fan-out/fan-in of independent
/// hashes combined in order, and a durable timer; progress is published at every stage.
/// Until the release pipeline lands, this is what `tollgate` runs to show the engine at work.
/// </summary>
public static class EngineTour
{
    public const string Name = "EngineTour";
    public const string HashActivity = "EngineTour.Hash";

    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<EngineTourInput, EngineTourResult>(Name, RunAsync);
        registry.AddActivity<string, string>(HashActivity, (_, text) => Task.FromResult(Hash(text ?? "")));
    }

    public static async Task<EngineTourResult> RunAsync(TaskOrchestrationContext context, EngineTourInput? input)
    {
        input ??= new EngineTourInput();
        input.Validate();
        var total = input.Steps + input.FanOut + 1;

        var digest = input.Subject;
        for (var step = 0; step < input.Steps; step++)
        {
            context.SetCustomStatus(new WorkflowProgress("chain", step, total, $"step {step + 1} of {input.Steps}"));
            digest = await context.CallActivityAsync<string>(HashActivity, digest);
        }

        context.SetCustomStatus(new WorkflowProgress("fan-out", input.Steps, total, $"{input.FanOut} hashes in parallel"));
        var branches = Enumerable.Range(0, input.FanOut).Select(i => context.CallActivityAsync<string>(HashActivity, $"{digest}/{i}")).ToList();
        var fanOutDigest = Hash(string.Concat(await Task.WhenAll(branches)));

        context.SetCustomStatus(new WorkflowProgress("timer", input.Steps + input.FanOut, total, $"durable timer of {input.TimerSeconds}s"));
        await context.CreateTimer(TimeSpan.FromSeconds(input.TimerSeconds));

        context.SetCustomStatus(new WorkflowProgress("done", total, total));
        return new EngineTourResult(digest, fanOutDigest, input.Steps + input.FanOut, context.CurrentUtcDateTime);
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
