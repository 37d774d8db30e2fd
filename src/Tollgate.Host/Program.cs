using Tollgate.Host.Hosting;
using Tollgate.Host.Security;
using Tollgate.Host.Settings;

// Tollgate's one executable, in standalone mode: the HTTP API, timers and the engine worker,
// all driven from the function registry. Settings: host.json, local.settings.json (Values),
// environment, command line (see Settings/HostSettings.cs).
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddFunctionsSettings(builder.Environment.ContentRootPath);
    builder.Logging.AddTollgateConsole();
    builder.WebHost.UseTollgateUrls(builder.Configuration);
    builder.Services.AddTollgateHost();

    var app = builder.Build();
    app.UseSecretRedaction();
    app.UseStandaloneTriggers();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException
                           && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A setting or a function definition is wrong: say which, without a stack trace. (When a test
    // hosts the app in process, the exception goes to the test instead.)
    Console.Error.WriteLine($"Tollgate host cannot start: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}");
    return 1;
}

/// <summary>The host's entry point; public so tests can host it in process (WebApplicationFactory).</summary>
public partial class Program;
