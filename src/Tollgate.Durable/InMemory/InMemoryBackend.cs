using Tollgate.Durable.Backend;

namespace Tollgate.Durable.InMemory;

/// <summary>A task hub held in process memory: for tests, benchmarks and single-process tools. Nothing survives the process.</summary>
public static class InMemoryBackend
{
    public static DurableBackend Create(string taskHub = "tollgate", int partitionCount = 4, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        return new DurableBackend("in-memory", taskHub, partitionCount,
            new InMemoryInstanceStore(partitionCount),
            new InMemoryHistoryStore(),
            new InMemoryControlQueues(partitionCount, clock),
            new InMemoryPartitionLeases(clock));
    }
}
