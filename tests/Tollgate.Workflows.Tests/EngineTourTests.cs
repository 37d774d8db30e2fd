using Tollgate.Durable;
using Tollgate.Durable.InMemory;
using Tollgate.Durable.Worker;
using Tollgate.Workflows.Tour;

namespace Tollgate.Workflows.Tests;

public sealed class EngineTourTests
{
    [Fact]
    public async Task The_tour_chains_fans_out_and_waits_on_a_timer_with_progress_to_the_end()
    {
        await using var worker = new DurableWorker(InMemoryBackend.Create(), new DurableTaskRegistry().AddTollgateWorkflows());
        await worker.StartAsync();
        var client = worker.CreateClient();
        var input = new EngineTourInput("audit", Steps: 3, FanOut: 4, TimerSeconds: 1);

        var id = await client.ScheduleNewOrchestrationInstanceAsync(EngineTour.Name, input);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var chain = EngineTour.Hash(EngineTour.Hash(EngineTour.Hash("audit")));
        var fanOut = EngineTour.Hash(string.Concat(Enumerable.Range(0, 4).Select(i => EngineTour.Hash($"{chain}/{i}"))));
        var result = done.ReadOutputAs<EngineTourResult>()!;
        Assert.Equal(chain, result.ChainDigest);
        Assert.Equal(fanOut, result.FanOutDigest);
        Assert.Equal(7, result.ActivitiesRun);
        Assert.True(result.TimerFiredAt >= done.CreatedAt.UtcDateTime.AddSeconds(1));
        Assert.Equal(new WorkflowProgress("done", 8, 8), done.ReadCustomStatusAs<WorkflowProgress>());
    }

    [Fact]
    public async Task A_tour_with_an_out_of_range_input_fails_naming_the_parameter()
    {
        await using var worker = new DurableWorker(InMemoryBackend.Create(), new DurableTaskRegistry().AddTollgateWorkflows());
        await worker.StartAsync();
        var client = worker.CreateClient();

        var id = await client.ScheduleNewOrchestrationInstanceAsync(EngineTour.Name, new EngineTourInput(Steps: 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await client.WaitForInstanceCompletionAsync(id, cancellationToken: timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("Steps", done.FailureDetails!.ErrorMessage);
    }
}
