using Microsoft.Extensions.Configuration;
using Tollgate.Host.Hosting;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Tests.Settings;

public sealed class HostSettingsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tollgate-settings-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private IConfiguration Configuration(Dictionary<string, string?>? overrides = null)
    {
        // A local token key is the one setting every host needs besides storage; tests give one that files can override.
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tollgate:Auth:LocalSigningKey"] = Convert.ToBase64String(new byte[32]),
        });
        builder.AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        builder.AddFunctionsSettings(_root);
        return builder.Build();
    }

    [Fact]
    public void local_settings_Values_and_host_json_are_read_and_later_sources_override_them()
    {
        File.WriteAllText(Path.Combine(_root, "local.settings.json"), """
            { "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "in-memory", "Tollgate:InstanceRetentionDays": "30", "TOLLGATE_HOST_ID": "from-file" } }
            """);
        File.WriteAllText(Path.Combine(_root, "host.json"), """
            { "version": "2.0", "extensions": { "http": { "routePrefix": "" },
              "durableTask": { "hubName": "filehub", "storageProvider": { "partitionCount": 8 } } } }
            """);

        var fromFiles = HostSettings.Load(Configuration());
        Assert.True(fromFiles.Storage.IsInMemory);
        Assert.Equal("filehub", fromFiles.TaskHub);
        Assert.Equal(8, fromFiles.PartitionCount);
        Assert.Equal("", fromFiles.RoutePrefix);
        Assert.Equal(30, fromFiles.InstanceRetentionDays);
        Assert.Equal("from-file", fromFiles.HostId);

        // The environment (here: a later source) wins over both files.
        var overridden = HostSettings.Load(Configuration(new()
        {
            ["TOLLGATE_HOST_ID"] = "from-env",
            ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = "envhub",
            ["TOLLGATE_LEASE_SECONDS"] = "9",
        }));
        Assert.Equal("from-env", overridden.HostId);
        Assert.Equal("envhub", overridden.TaskHub);
        var options = overridden.ToWorkerOptions(null);
        Assert.Equal(TimeSpan.FromSeconds(9), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaseRenewInterval);
        Assert.Equal("from-env", options.HostId);
    }

    [Fact]
    public void The_app_root_is_the_nearest_folder_with_host_json()
    {
        var project = Directory.CreateDirectory(Path.Combine(_root, "src", "Tollgate.Host")).FullName;
        Assert.Equal(project, FunctionsConfiguration.AppRoot(project)); // no host.json anywhere: the content root
        File.WriteAllText(Path.Combine(_root, "host.json"), "{}");
        File.WriteAllText(Path.Combine(_root, "local.settings.json"), """{ "Values": { "TOLLGATE_HOST_ID": "from-root" } }""");
        Assert.Equal(_root, FunctionsConfiguration.AppRoot(project));
        var configuration = new ConfigurationBuilder().AddFunctionsSettings(project).Build();
        Assert.Equal("from-root", configuration["TOLLGATE_HOST_ID"]);
    }

    [Fact]
    public void Defaults_without_any_file()
    {
        var settings = HostSettings.Load(Configuration(new() { ["AzureWebJobsStorage"] = "in-memory" }));
        Assert.Equal("tollgate", settings.TaskHub);
        Assert.Equal(4, settings.PartitionCount);
        Assert.Equal("api", settings.RoutePrefix);
        Assert.Equal(90, settings.InstanceRetentionDays);
        Assert.Null(settings.CrashAt);
        Assert.False(settings.TestWorkflows);
    }

    [Fact]
    public void A_malformed_local_settings_file_is_an_error_naming_it()
    {
        File.WriteAllText(Path.Combine(_root, "local.settings.json"), "{ \"Values\": ");
        var refused = Assert.Throws<InvalidOperationException>(() => Configuration());
        Assert.Contains("local.settings.json", refused.Message);
    }

    [Fact]
    public void The_connection_string_is_never_shown()
    {
        const string key = "c2VjcmV0LWtleS1ub3QtdG8tYmUtc2hvd24tYW55d2hlcmU=";
        var storage = StorageSetting.Parse($"DefaultEndpointsProtocol=https;AccountName=tollgateprod;AccountKey={key};EndpointSuffix=core.windows.net");
        var settings = HostSettings.Load(Configuration(new() { ["AzureWebJobsStorage"] = storage.ConnectionString }));
        Assert.DoesNotContain(key, settings.ToString());
        Assert.DoesNotContain(key, storage.ToString());
        Assert.Contains("tollgateprod", storage.Describe());
        Assert.Equal("failed with [secret] in it", storage.Redact($"failed with {key} in it"));
        Assert.Equal("it was [connection string]", storage.Redact($"it was {storage.ConnectionString}"));
    }

    [Fact]
    public void The_custom_handler_port_decides_the_listen_address()
    {
        static IConfiguration With(params (string Key, string Value)[] values)
            => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

        Assert.Equal("http://127.0.0.1:7071", ListenUrls.Override(With()));
        Assert.Null(ListenUrls.Override(With(("urls", "http://127.0.0.1:0"))));
        Assert.Equal("http://127.0.0.1:5123", ListenUrls.Override(With(("FUNCTIONS_CUSTOMHANDLER_PORT", "5123"), ("urls", "http://0.0.0.0:80"))));
        Assert.Throws<InvalidOperationException>(() => ListenUrls.Override(With(("FUNCTIONS_CUSTOMHANDLER_PORT", "http"))));
    }
}
