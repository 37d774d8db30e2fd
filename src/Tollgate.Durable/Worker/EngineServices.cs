using Microsoft.Extensions.Logging;
using Tollgate.Durable.Backend;

namespace Tollgate.Durable.Worker;

/// <summary>What every part of a running worker shares.</summary>
internal sealed record EngineServices(
    DurableBackend Backend,
    DurableTaskRegistry Registry,
    DurableWorkerOptions Options,
    TimeProvider Time,
    ILogger Logger,
    ActivityRunner Activities,
    Action<string> Wake,
    Action<string> InstanceChanged)
{
    public DateTime UtcNow => Time.GetUtcNow().UtcDateTime;

    public Task Inject(string point) => Options.FaultInjection?.Invoke(point) ?? Task.CompletedTask;

    /// <summary>The orchestrator registered under <paramref name="name"/>, or one that fails the instance saying it is missing.</summary>
    public OrchestratorFunc Resolve(string name)
        => Registry.TryGetOrchestrator(name, out var orchestrator)
            ? orchestrator
            : _ => throw new OrchestratorNotFoundException(name);
}

/// <summary>The instance names an orchestrator this host does not have; it fails rather than waits forever.</summary>
public sealed class OrchestratorNotFoundException(string name)
    : Exception($"{DurableReason.OrchestratorNotFound}: no orchestrator named '{name}' is registered on this host.");
