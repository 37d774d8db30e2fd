using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Host.Functions;
using Tollgate.Host.Settings;
using Tollgate.Host.Standalone;

namespace Tollgate.Host.Hosting;

/// <summary>Standalone mode: the host drives every trigger of the registry itself.</summary>
public static class StandaloneHost
{
    /// <summary>Maps the HTTP triggers as routes; fails when a registered trigger kind has no standalone driver.</summary>
    public static WebApplication UseStandaloneTriggers(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<FunctionRegistry>();
        StandaloneDrivers.EnsureEveryTriggerIsDriven(registry);
        app.MapHttpTriggers(registry, app.Services.GetRequiredService<HostSettings>().RoutePrefix);
        return app;
    }
}
