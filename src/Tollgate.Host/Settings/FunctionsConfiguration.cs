using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Tollgate.Host.Settings;

/// <summary>
/// Configuration as an Azure Functions host sees it: <c>host.json</c> under the
/// <c>AzureFunctionsJobHost</c> prefix (so <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>
/// overrides it, as in Azure), and the <c>Values</c> of <c>local.settings.json</c>. Both are read
/// from the function app root (<see cref="AppRoot"/>) and go below every other source: environment
/// variables and the command line win.
/// </summary>
public static class FunctionsConfiguration
{
    public const string HostJsonPrefix = "AzureFunctionsJobHost";

    public static IConfigurationBuilder AddFunctionsSettings(this IConfigurationBuilder configuration, string contentRoot)
    {
        var root = AppRoot(contentRoot);
        var hostJson = Path.Combine(root, "host.json");
        if (!File.Exists(hostJson)) hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        var localSettings = JsonSettingsFile.Read(Path.Combine(root, "local.settings.json"), "Values", prefix: null);
        var host = JsonSettingsFile.Read(hostJson, section: null, HostJsonPrefix);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = localSettings });
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = host });
        return configuration;
    }

    /// <summary>
    /// The function app root: the content root when it holds host.json (a published app, or
    /// <c>--contentRoot</c>), else the nearest folder above it that does (<c>dotnet run</c> starts in
    /// the project folder; host.json is at the repository root), else the content root.
    /// </summary>
    public static string AppRoot(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "host.json"))) return dir.FullName;
        return contentRoot;
    }
}
