using System.Text;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.Client;

/// <summary>
/// A client that talks to the task hub's storage directly. Every request is checked first and
/// refused with a <see cref="DurableClientException"/> reason code before anything is written.
/// </summary>
internal sealed class BackendDurableClient(DurableBackend backend, DurableTaskRegistry? registry, int maxPayloadBytes, TimeProvider time, Action<string>? wake, InstanceChangeSignals? changes) : DurableTaskClient
{
    private const int MaxInstanceIdLength = 100;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(orchestratorName) || registry is not null && !registry.HasOrchestrator(orchestratorName))
            throw new DurableClientException(DurableReason.OrchestratorNotFound, $"No orchestrator named '{orchestratorName}' is registered.");
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        ValidateInstanceId(instanceId);
        var serializedInput = CheckSize(JsonDataConverter.Serialize(input), "input");

        var now = time.GetUtcNow();
        var startAt = options?.StartAt is { } at && at > now ? at : (DateTimeOffset?)null;
        var record = new InstanceRecord(instanceId, orchestratorName, backend.PartitionOf(instanceId), OrchestrationRuntimeStatus.Pending,
            Guid.NewGuid().ToString("N"), now, now, startAt, serializedInput);
        if (!await backend.Instances.TryCreateAsync(record, cancellationToken))
            throw new DurableClientException(DurableReason.InstanceExists, $"An instance '{instanceId}' already exists; purge it first to reuse the id.");

        var started = new ExecutionStarted(now.UtcDateTime, orchestratorName, serializedInput, record.ExecutionId);
        await SendAsync(instanceId, started, $"{record.ExecutionId}:start", startAt is { } due ? due - now : TimeSpan.Zero, cancellationToken);
        return instanceId;
    }

    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(eventName) || eventName.Length > 256)
            throw new DurableClientException(DurableReason.InvalidEventName, "An event name must be 1-256 characters and not blank.");
        var payload = CheckSize(JsonDataConverter.Serialize(eventPayload), "event payload");
        await RequireNotEndedAsync(instanceId, cancellationToken);
        var messageId = Guid.NewGuid().ToString("N");
        await SendAsync(instanceId, new EventRaised(time.GetUtcNow().UtcDateTime, eventName, payload, messageId), messageId, TimeSpan.Zero, cancellationToken);
    }

    public override async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        var record = await backend.Instances.GetAsync(instanceId, getInputsAndOutputs, cancellationToken);
        return record?.ToMetadata(getInputsAndOutputs);
    }

    public override async Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellationToken = default)
    {
        var serialized = CheckSize(JsonDataConverter.Serialize(output), "output");
        await RequireNotEndedAsync(instanceId, cancellationToken);
        await SendControlAsync(instanceId, new ExecutionTerminated(time.GetUtcNow().UtcDateTime, serialized), cancellationToken);
    }

    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        await RequireNotEndedAsync(instanceId, cancellationToken);
        await SendControlAsync(instanceId, new ExecutionSuspended(time.GetUtcNow().UtcDateTime, reason), cancellationToken);
    }

    public override async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        await RequireNotEndedAsync(instanceId, cancellationToken);
        await SendControlAsync(instanceId, new ExecutionResumed(time.GetUtcNow().UtcDateTime, reason), cancellationToken);
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ValidateInstanceId(instanceId);
        var record = await backend.Instances.GetAsync(instanceId, withPayloads: false, cancellationToken);
        if (record is null || !record.Status.IsTerminal()) return new PurgeResult(0);
        await backend.History.DeleteAsync(instanceId, cancellationToken);
        return new PurgeResult(await backend.Instances.DeleteAsync(instanceId, cancellationToken) ? 1 : 0);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellationToken = default)
    {
        var query = new OrchestrationQuery { CreatedFrom = filter.CreatedFrom, CreatedTo = filter.CreatedTo, Statuses = filter.Statuses, PageSize = 1000 };
        var doomed = new List<string>();
        await foreach (var instance in GetAllInstancesAsync(query, cancellationToken))
            if (instance.IsCompleted) doomed.Add(instance.InstanceId);
        var purged = 0;
        foreach (var instanceId in doomed) purged += (await PurgeInstanceAsync(instanceId, cancellationToken)).PurgedInstanceCount;
        return new PurgeResult(purged);
    }

    public override async Task<OrchestrationPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        var page = await backend.Instances.QueryAsync(query, cancellationToken);
        return new OrchestrationPage(page.Records.Select(r => r.ToMetadata(query.FetchInputsAndOutputs)).ToList(), page.ContinuationToken);
    }

    protected override async Task WhenInstanceMayHaveChangedAsync(string instanceId, TimeSpan pollDelay, CancellationToken cancellationToken)
    {
        if (changes is null)
        {
            await Task.Delay(pollDelay, cancellationToken);
            return;
        }
        await Task.WhenAny(changes.NextChange(instanceId), Task.Delay(pollDelay, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RequireNotEndedAsync(string instanceId, CancellationToken cancellationToken)
    {
        ValidateInstanceId(instanceId);
        var record = await backend.Instances.GetAsync(instanceId, withPayloads: false, cancellationToken)
            ?? throw new DurableClientException(DurableReason.InstanceNotFound, $"No instance '{instanceId}'.");
        if (record.Status.IsTerminal())
            throw new DurableClientException(DurableReason.InstanceNotRunning, $"Instance '{instanceId}' has already ended ({record.Status}).");
    }

    private Task SendControlAsync(string instanceId, HistoryEvent control, CancellationToken cancellationToken)
    {
        var messageId = Guid.NewGuid().ToString("N");
        return SendAsync(instanceId, control, messageId, TimeSpan.Zero, cancellationToken);
    }

    private async Task SendAsync(string instanceId, HistoryEvent e, string messageId, TimeSpan delay, CancellationToken cancellationToken)
    {
        await backend.Queues.SendAsync(new OrchestrationMessage(instanceId, e, messageId), delay, cancellationToken);
        if (delay <= TimeSpan.Zero) wake?.Invoke(instanceId);
    }

    private string? CheckSize(string? json, string what)
    {
        if (json is not null && Encoding.UTF8.GetByteCount(json) > maxPayloadBytes)
            throw new DurableClientException(DurableReason.InputTooLarge, $"The {what} is {Encoding.UTF8.GetByteCount(json)} bytes of JSON; the limit is {maxPayloadBytes}.");
        return json;
    }

    /// <summary>Instance ids become storage keys: no control characters and none of / \ # ?.</summary>
    private static void ValidateInstanceId(string instanceId)
    {
        if (string.IsNullOrWhiteSpace(instanceId) || instanceId.Length > MaxInstanceIdLength
            || instanceId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?'))
            throw new DurableClientException(DurableReason.InvalidInstanceId,
                $"An instance id must be 1-{MaxInstanceIdLength} characters without control characters or / \\ # ?.");
    }
}
