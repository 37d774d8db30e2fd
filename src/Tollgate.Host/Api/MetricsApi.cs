using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Identity;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Api;

/// <summary>
/// <c>GET /api/metrics</c>: the host's metrics in the Prometheus text format, written by OpenTelemetry's Prometheus
/// exporter. It is a function like any other, so the scrape is authenticated and checked against the role matrix
/// (a Prometheus job sends a bearer token); in Azure the same meters go to Azure Monitor.
/// </summary>
public sealed class MetricsApi(IServiceProvider services) : IFunctionModule
{
    private readonly Lazy<RequestDelegate> scrape = new(() =>
    {
        // The exporter is ASP.NET Core middleware: run it as a one-step pipeline of its own behind the access check.
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseOpenTelemetryPrometheusScrapingEndpoint(_ => true);
        return pipeline.Build();
    });

    public void Register(FunctionRegistry registry)
        => registry.Add(new FunctionDefinition("metrics", new HttpTrigger("metrics", ["GET"]),
            context => scrape.Value(((HttpInput)context.Input).Http), FunctionAccess.Requires(GovernanceAction.ReadMetrics)));
}
