using Tollgate.Durable.Backend;
using Tollgate.Durable.InMemory;
using Xunit.Abstractions;

namespace Tollgate.Durable.Tests;

/// <summary>The conformance suite on the in-memory backend.</summary>
public sealed class InMemoryConformance(ITestOutputHelper output) : EngineConformance(output)
{
    protected override Task<DurableBackend> CreateBackendAsync(string taskHub, int partitionCount)
        => Task.FromResult(InMemoryBackend.Create(taskHub, partitionCount));
}
