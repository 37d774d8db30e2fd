using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Durable;
using Tollgate.Durable.Backend;
using Tollgate.Durable.Worker;
using Tollgate.Host.Api;
using Tollgate.Host.Functions;
using Tollgate.Host.Settings;
using Tollgate.Host.Standalone;
using Tollgate.Host.Testing;
using Tollgate.Workflows;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.AzureStorage;
using Tollgate.Governance.KillSwitch;
using Tollgate.Governance.Secrets;
using Tollgate.Host.GitHub;
using Tollgate.Host.Security;
using Tollgate.Host.Markets;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Tollgate.Markets.Quality;
using Tollgate.Markets.Execution;
using Tollgate.Host.Execution;
using Tollgate.Host.Release;
using Tollgate.Release.Metrics;

namespace Tollgate.Host.Hosting;

/// <summary>Everything the host runs, registered in one place.</summary>
public static class HostServices
{
    public static IServiceCollection AddTollgateHost(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddSingleton(sp => HostSettings.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().ContentRootPath));

        // Secrets: every value known to the redactor, which cleans logs, responses and ledger entries of them.
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<HostSettings>();
            var redactor = new SecretRedactor();
            foreach (var secret in settings.Storage.SecretValues()) redactor.Register(secret);
            if (settings.Auth.LocalSigningKey is { } key) redactor.Register(Convert.ToBase64String(key));
            return redactor;
        });
        services.AddSingleton<ISecretStore>(sp => sp.GetRequiredService<HostSettings>().KeyVaultUri is { } vault
            ? new KeyVaultSecretStore(new SecretClient(vault, new DefaultAzureCredential()), sp.GetRequiredService<SecretRedactor>(),
                sp.GetRequiredService<ILogger<KeyVaultSecretStore>>())
            : ActivatorUtilities.CreateInstance<ConfigurationSecretStore>(sp));
        services.AddHostedService<SecretPreload>();
        var loggers = services.Last(descriptor => descriptor.ServiceType == typeof(ILoggerFactory));
        services.Remove(loggers);
        services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            (ILoggerFactory)(loggers.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, loggers.ImplementationType!)),
            sp.GetRequiredService<SecretRedactor>()));

        // Who is calling, and what they may do.
        services.AddTollgateTokens();
        services.AddSingleton<AccessGuard>();

        // The engine: storage, the orchestrations it can run, a worker on the task hub and a client.
        services.AddSingleton(sp => BackendFactory.Create(sp.GetRequiredService<HostSettings>()));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<HostSettings>();
            var registry = new DurableTaskRegistry().AddTollgateWorkflows();
            sp.GetRequiredService<ReleaseActivities>().Register(registry);
            if (settings.TestWorkflows) CrashProbe.Register(registry, settings.EffectsFile);
            return registry;
        });
        services.AddSingleton(sp => sp.GetRequiredService<HostSettings>().ToWorkerOptions(CrashInjection.For(sp.GetRequiredService<HostSettings>().CrashAt)));
        services.AddSingleton(sp => new DurableWorker(
            sp.GetRequiredService<DurableBackend>(), sp.GetRequiredService<DurableTaskRegistry>(), sp.GetRequiredService<DurableWorkerOptions>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<DurableWorker>().CreateClient());
        services.AddHostedService<DurableWorkerService>();

        // The audit ledger: one writer per host, opened in the background like the worker.
        services.AddSingleton<LedgerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerHost>());

        // Governance: version maps, gates, approvals, the kill switch.
        services.AddSingleton<KillSwitchBoard>();
        services.AddSingleton<IApprovalNotifier, DurableApprovalNotifier>();
        services.AddSingleton<OrderPathRegistry>();
        services.AddSingleton<GovernanceHost>();
        services.AddSingleton<KillSwitchPropagation>();
        services.AddHostedService(sp => sp.GetRequiredService<KillSwitchPropagation>());

        // The market plane: connector → stream hub (partition = instrument) → market-ingest → books and features.
        services.AddSingleton<StreamHub>();
        services.AddSingleton<MarketDataMonitor>();
        services.AddSingleton<MarketPlane>();
        services.AddHostedService(sp => sp.GetRequiredService<MarketPlane>());

        // The order path: features → rule strategy → order-intents (durable) → order-router → channel; results → order-results.
        services.AddSingleton<ExecutionMetrics>();
        services.AddSingleton<ExecutionPlane>();
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionPlane>());
        services.AddSingleton<OrderRouterFunction>();
        services.AddSingleton<IFunctionModule>(sp => sp.GetRequiredService<OrderRouterFunction>());
        services.AddSingleton<IFunctionModule, ExecutionApi>();

        // Release control: the pipeline's and the canary's activities, the canary metric source, the release API.
        services.AddSingleton<ReleaseServices>();
        services.AddSingleton<ConfigBundleStage>();
        services.AddSingleton<PreparationStages>();
        services.AddSingleton<ReleaseActivities>();
        services.AddSingleton<ICanaryMetricSource>(sp => sp.GetRequiredService<HostSettings>().Release.PrometheusUrl is { } prometheus
            ? new PrometheusMetricSource(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, new PrometheusMetricSourceOptions { Endpoint = prometheus })
            : new ExecutionMetricSource(sp.GetRequiredService<ExecutionMetrics>()));
        services.AddSingleton<IFunctionModule, ReleaseApi>();
        services.AddSingleton<IFunctionModule, ConfigBundleApi>();

        // The functions, and the standalone drivers of their triggers.
        services.AddSingleton<IFunctionModule, OrchestrationApi>();
        services.AddSingleton<HealthApi>();
        services.AddSingleton<IFunctionModule>(sp => sp.GetRequiredService<HealthApi>());
        services.AddSingleton<IFunctionModule, EngineRetention>();
        services.AddSingleton<IFunctionModule, LedgerApi>();
        services.AddSingleton<IFunctionModule, BundleApi>();
        services.AddSingleton<IFunctionModule, IdentityApi>();
        services.AddSingleton<IFunctionModule, VersionMapApi>();
        services.AddSingleton<IFunctionModule, GateApi>();
        services.AddSingleton<IFunctionModule, ApprovalApi>();
        services.AddSingleton<IFunctionModule, KillSwitchApi>();
        services.AddSingleton<IFunctionModule, ObjectApi>();
        services.AddSingleton<IFunctionModule, MarketIngestFunction>();
        services.AddSingleton<IFunctionModule, MarketApi>();
        services.AddSingleton<IFunctionModule, MetricsApi>();
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("tollgate-host")).WithMetrics(metrics => metrics.AddMeter(MarketMetrics.MeterName, ExecutionMetrics.MeterName).AddPrometheusExporter());
        services.AddSingleton<IFunctionModule>(sp =>
        {
            var settings = sp.GetRequiredService<HostSettings>();
            var github = settings.GitHub is { } app
                ? new GitHubAppClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, app, sp.GetRequiredService<ISecretStore>(), sp.GetRequiredService<TimeProvider>())
                : null;
            return new GitHubProtectionApi(settings, sp.GetRequiredService<GovernanceHost>(), sp.GetRequiredService<ISecretStore>(),
                sp.GetRequiredService<AccessGuard>(), github, sp.GetRequiredService<ILogger<GitHubProtectionApi>>());
        });
        services.AddSingleton(sp =>
        {
            var registry = new FunctionRegistry();
            foreach (var module in sp.GetServices<IFunctionModule>()) module.Register(registry);
            return registry;
        });
        services.AddSingleton<ITimerSingleton>(sp =>
        {
            var settings = sp.GetRequiredService<HostSettings>();
            return settings.Storage.IsInMemory
                ? new InProcessTimerSingleton()
                : BlobTimerSingleton.Create(settings.Storage.ConnectionString, settings.TaskHub,
                    sp.GetRequiredService<DurableWorker>().HostId, sp.GetRequiredService<ILogger<BlobTimerSingleton>>());
        });
        services.AddHostedService<TimerDriver>();
        services.AddHostedService<StreamDriver>();
        return services;
    }
}
