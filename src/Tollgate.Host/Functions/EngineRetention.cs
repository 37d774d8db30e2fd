using Microsoft.Extensions.Logging;
using Tollgate.Durable;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Functions;

/// <summary>
/// <c>engine-retention</c>: daily at 03:00 UTC, purges ended (Completed, Failed, Terminated)
/// instances created more than <c>Tollgate:InstanceRetentionDays</c> (default 90) days ago,
/// with their history. Running instances are never purged, however old.
/// </summary>
public sealed class EngineRetention(DurableTaskClient client, HostSettings settings, TimeProvider time, ILogger<EngineRetention> logger) : IFunctionModule
{
    public const string Name = "engine-retention";
    public const string Schedule = "0 0 3 * * *";

    public void Register(FunctionRegistry registry)
        => registry.Add(FunctionDefinition.Timer(Name, Schedule, "UTC", (_, _, cancellationToken) => PurgeAsync(cancellationToken)));

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(settings.InstanceRetentionDays);
        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: cutoff), cancellationToken);
        logger.LogInformation("{Function}: purged {Count} ended instance(s) created before {Cutoff:O} (retention {Days} days)",
            Name, result.PurgedInstanceCount, cutoff, settings.InstanceRetentionDays);
        return result.PurgedInstanceCount;
    }
}
