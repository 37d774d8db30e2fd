using Tollgate.Markets.Execution;

namespace Tollgate.Markets.AzureStorage.Tests;

/// <summary>The conformance suite against the in-memory store (replays, tests, benchmarks).</summary>
public sealed class InMemoryExecutionStoreTests : ExecutionStoreConformance
{
    protected override Task<IExecutionStore> NewStoreAsync() => Task.FromResult<IExecutionStore>(new InMemoryExecutionStore());

    [Fact]
    public Task An_event_for_an_unrecorded_order_is_refused_and_does_not_block_the_order() => AnEventForAnUnrecordedOrderIsRefusedAndDoesNotBlockTheOrder();
}
