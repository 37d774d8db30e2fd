namespace Tollgate.Durable;

/// <summary>An orchestrator: deterministic code driven by replay. Input and output are JSON.</summary>
public delegate Task<string?> OrchestratorFunc(TaskOrchestrationContext context);

/// <summary>An activity: ordinary code with effects; input and output are JSON.</summary>
public delegate Task<string?> ActivityFunc(TaskActivityContext context, string? serializedInput, CancellationToken cancellationToken);

/// <summary>
/// The names the engine can run. Names are case-insensitive, as in Durable Task; registering the
/// same name twice is a programming error and throws.
/// </summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, OrchestratorFunc> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ActivityFunc> _activities = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> OrchestratorNames => _orchestrators.Keys;
    public IReadOnlyCollection<string> ActivityNames => _activities.Keys;

    public DurableTaskRegistry AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput?, Task<TOutput>> orchestrator)
        => AddOrchestrator(name, async context => JsonDataConverter.Serialize(await orchestrator(context, context.GetInput<TInput>())));

    public DurableTaskRegistry AddOrchestrator(string name, OrchestratorFunc orchestrator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_orchestrators.TryAdd(name, orchestrator))
            throw new ArgumentException($"An orchestrator named '{name}' is already registered.", nameof(name));
        return this;
    }

    public DurableTaskRegistry AddActivity<TInput, TOutput>(string name, Func<TaskActivityContext, TInput?, Task<TOutput>> activity)
        => AddActivity(name, async (context, input, _) => JsonDataConverter.Serialize(await activity(context, JsonDataConverter.Deserialize<TInput>(input))));

    public DurableTaskRegistry AddActivity<TInput, TOutput>(string name, Func<TaskActivityContext, TInput?, CancellationToken, Task<TOutput>> activity)
        => AddActivity(name, async (context, input, ct) => JsonDataConverter.Serialize(await activity(context, JsonDataConverter.Deserialize<TInput>(input), ct)));

    public DurableTaskRegistry AddActivity(string name, ActivityFunc activity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_activities.TryAdd(name, activity))
            throw new ArgumentException($"An activity named '{name}' is already registered.", nameof(name));
        return this;
    }

    public bool TryGetOrchestrator(string name, out OrchestratorFunc orchestrator) => _orchestrators.TryGetValue(name, out orchestrator!);
    public bool TryGetActivity(string name, out ActivityFunc activity) => _activities.TryGetValue(name, out activity!);
    public bool HasOrchestrator(string name) => _orchestrators.ContainsKey(name);
}
