using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Tollgate.Host.Hosting;

/// <summary>
/// Where Kestrel listens: <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> when the Azure Functions host runs us
/// as its custom handler (127.0.0.1 on that port); else <c>--urls</c> / <c>ASPNETCORE_URLS</c>
/// as ASP.NET Core reads them; else <see cref="DefaultUrl"/>, where the CLI looks by default.
/// </summary>
public static class ListenUrls
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static string? Override(IConfiguration configuration)
    {
        if (configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw new InvalidOperationException($"FUNCTIONS_CUSTOMHANDLER_PORT '{portText}' is not a port number.");
            return $"http://127.0.0.1:{port}";
        }
        var configured = configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 }
            || configuration[WebHostDefaults.HttpPortsKey] is { Length: > 0 }
            || configuration[WebHostDefaults.HttpsPortsKey] is { Length: > 0 };
        return configured ? null : DefaultUrl;
    }

    public static IWebHostBuilder UseTollgateUrls(this IWebHostBuilder webHost, IConfiguration configuration)
    {
        if (Override(configuration) is { } url) webHost.UseUrls(url);
        return webHost;
    }
}
