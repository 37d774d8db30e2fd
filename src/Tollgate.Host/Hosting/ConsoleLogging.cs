using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Tollgate.Host.Hosting;

/// <summary>One line per entry on the console. Kestrel's "Now listening on:" line stays on: scripts read the bound address from it.</summary>
public static class ConsoleLogging
{
    public static ILoggingBuilder AddTollgateConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.ColorBehavior = Console.IsOutputRedirected ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return logging;
    }
}
