using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tollgate.Durable.Worker;
using Tollgate.Governance.Approvals;
using Tollgate.Ledger.Writing;

namespace Tollgate.Host.Settings;

/// <summary>
/// Everything the host reads from configuration, checked once at startup. Sources, lowest first:
/// host.json, local.settings.json <c>Values</c>, environment variables, command line.
/// </summary>
public sealed record HostSettings
{
    public required StorageSetting Storage { get; init; }

    /// <summary>host.json <c>extensions.durableTask.hubName</c> (or <c>TOLLGATE_TASK_HUB</c>); default "tollgate".</summary>
    public string TaskHub { get; init; } = "tollgate";

    /// <summary>host.json <c>extensions.durableTask.storageProvider.partitionCount</c>; default 4.</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary>host.json <c>extensions.http.routePrefix</c>; default "api".</summary>
    public string RoutePrefix { get; init; } = "api";

    /// <summary><c>Tollgate:InstanceRetentionDays</c>: ended instances older than this are purged daily; default 90.</summary>
    public int InstanceRetentionDays { get; init; } = 90;

    /// <summary>The audit ledger's origin and signing key source.</summary>
    public required LedgerSettings Ledger { get; init; }

    /// <summary>How callers authenticate (Entra ID, or local tokens).</summary>
    public required AuthSettings Auth { get; init; }

    /// <summary><c>Tollgate:Approvals:ChallengeSeconds</c>: how long an approver has between approve and confirm; default 120.</summary>
    public ApprovalOptions Approvals { get; init; } = ApprovalOptions.Default;

    /// <summary><c>Tollgate:KeyVaultUri</c>: where secrets come from in Azure; unset, they come from local settings and the environment.</summary>
    public Uri? KeyVaultUri { get; init; }

    /// <summary>The GitHub custom deployment protection rule, when configured.</summary>
    public GitHubSettings? GitHub { get; init; }

    /// <summary>The market plane: instruments, exchange endpoints, capture.</summary>
    public MarketSettings Markets { get; init; } = new();

    /// <summary>The order path; off unless <c>Tollgate:Execution:Environment</c> is set.</summary>
    public ExecutionSettings Execution { get; init; } = new();

    /// <summary>Release control: the release signing key's secret, the canary metric source.</summary>
    public ReleaseSettings Release { get; init; } = new();

    /// <summary><c>TOLLGATE_DATA_DIR</c>: the local data folder (dev signing key); default <c>.data</c> under the content root.</summary>
    public string DataFolder { get; init; } = ".data";

    /// <summary><c>TOLLGATE_HOST_ID</c>: this host's id in partition leases and logs; unique per process when unset.</summary>
    public string? HostId { get; init; }

    /// <summary><c>TOLLGATE_LEASE_SECONDS</c>: partition lease duration (renewed at a third of it).</summary>
    public TimeSpan? LeaseDuration { get; init; }

    /// <summary>
    /// <c>TOLLGATE_CRASH_AT</c>: a <see cref="FaultPoints"/> or <see cref="LedgerFaultPoints"/> name at which the host
    /// stops dead (crash tests only).
    /// </summary>
    public string? CrashAt { get; init; }

    /// <summary><c>TOLLGATE_TEST_WORKFLOWS=1</c>: also registers the test-only workflows of <c>Testing/</c>.</summary>
    public bool TestWorkflows { get; init; }

    /// <summary><c>TOLLGATE_EFFECTS_FILE</c>: where the test workflows record their effects.</summary>
    public string? EffectsFile { get; init; }

    private static readonly string[] FaultPointNames =
        [FaultPoints.AfterHistoryCommit, FaultPoints.DuringActivity, FaultPoints.AfterActivityBeforeRecord, FaultPoints.DuringTimer,
         LedgerFaultPoints.AfterBlockBeforeCheckpoint];

    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static HostSettings Load(IConfiguration configuration, string contentRoot = ".")
    {
        var dataFolder = Path.GetFullPath(Setting(configuration, "TOLLGATE_DATA_DIR") ?? ".data", Path.GetFullPath(contentRoot));
        const string durable = FunctionsConfiguration.HostJsonPrefix + ":extensions:durableTask";
        var taskHub = Setting(configuration, "TOLLGATE_TASK_HUB") ?? Setting(configuration, $"{durable}:hubName") ?? "tollgate";
        if (taskHub.Length is < 3 or > 45 || !char.IsAsciiLetter(taskHub[0]) || !taskHub.All(char.IsAsciiLetterOrDigit))
            throw new InvalidOperationException($"Task hub name '{taskHub}' is invalid: 3-45 letters and digits, starting with a letter.");

        var settings = new HostSettings
        {
            Storage = StorageSetting.Parse(Setting(configuration, StorageSetting.SettingName)),
            TaskHub = taskHub,
            DataFolder = dataFolder,
            Ledger = LedgerSettings.Load(configuration, dataFolder),
            Auth = AuthSettings.Load(configuration),
            Approvals = new ApprovalOptions(TimeSpan.FromSeconds(Int(configuration, "Tollgate:Approvals:ChallengeSeconds", 120,
                (int)ApprovalOptions.MinimumTtl.TotalSeconds, (int)ApprovalOptions.MaximumTtl.TotalSeconds))),
            GitHub = GitHubSettings.Load(configuration),
            Markets = MarketSettings.Load(configuration, dataFolder),
            Execution = ExecutionSettings.Load(configuration),
            Release = ReleaseSettings.Load(configuration),
            KeyVaultUri = Setting(configuration, "Tollgate:KeyVaultUri") is { } vaultText
                ? Uri.TryCreate(vaultText, UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps
                    ? vault
                    : throw new InvalidOperationException($"Tollgate:KeyVaultUri '{vaultText}' is not an https URI (e.g. https://my-vault.vault.azure.net/).")
                : null,
            PartitionCount = Int(configuration, $"{durable}:storageProvider:partitionCount", 4, 1, 100),
            // "" is a valid route prefix (routes at the root), as in Azure Functions.
            RoutePrefix = (configuration[FunctionsConfiguration.HostJsonPrefix + ":extensions:http:routePrefix"] ?? "api").Trim().Trim('/'),
            InstanceRetentionDays = Int(configuration, "Tollgate:InstanceRetentionDays", 90, 1, 36500),
            HostId = Setting(configuration, "TOLLGATE_HOST_ID"),
            LeaseDuration = Setting(configuration, "TOLLGATE_LEASE_SECONDS") is null ? null : TimeSpan.FromSeconds(Int(configuration, "TOLLGATE_LEASE_SECONDS", 30, 2, 600)),
            CrashAt = Setting(configuration, "TOLLGATE_CRASH_AT"),
            TestWorkflows = Setting(configuration, "TOLLGATE_TEST_WORKFLOWS") is "1" or "true" or "True",
            EffectsFile = Setting(configuration, "TOLLGATE_EFFECTS_FILE"),
        };
        if (settings.CrashAt is { } point && !FaultPointNames.Contains(point))
            throw new InvalidOperationException($"TOLLGATE_CRASH_AT '{point}' is not a fault point; use one of: {string.Join(", ", FaultPointNames)}.");
        return settings;
    }

    /// <summary>The worker options these settings ask for.</summary>
    public DurableWorkerOptions ToWorkerOptions(Func<string, Task>? faultInjection)
    {
        var options = new DurableWorkerOptions { FaultInjection = faultInjection };
        if (HostId is { } hostId) options = options with { HostId = hostId };
        if (LeaseDuration is { } lease) options = options with { LeaseDuration = lease, LeaseRenewInterval = lease / 3 };
        return options;
    }

    private static string? Setting(IConfiguration configuration, string key)
        => configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int Int(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = Setting(configuration, key);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new InvalidOperationException($"Setting '{key}' is '{text}'; it must be a whole number from {min} to {max}.");
        return value;
    }
}
