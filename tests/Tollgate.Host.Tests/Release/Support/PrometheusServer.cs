using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tollgate.Host.Tests.Release.Support;

/// <summary>
/// A real <c>prometheus</c> process (Debian's package; scripts/test.sh installs it) on a free loopback port, with its
/// own TSDB in a temp folder, scraping one Tollgate host's <c>/api/metrics</c> every second with a bearer token.
/// Killed and its folder deleted on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "tollgate";
    private const int PortAttempts = 3;
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly System.Diagnostics.Process process;
    private readonly DirectoryInfo folder;
    private readonly StringBuilder output = new();
    private readonly HttpClient http;

    private PrometheusServer(System.Diagnostics.Process process, DirectoryInfo folder, Uri endpoint)
    {
        this.process = process;
        this.folder = folder;
        Endpoint = endpoint;
        http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The HTTP API's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>What the process printed (its log), for failure messages.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="host"/>'s <c>/api/metrics</c> with <paramref name="bearerToken"/>,
    /// and waits until it is ready. Fails — never skips — when <c>prometheus</c> is not on PATH.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(Uri host, string bearerToken)
    {
        var executable = FindOnPath("prometheus") ?? throw new InvalidOperationException(
            "prometheus is not on PATH: these tests query a real Prometheus and do not skip. scripts/test.sh installs Debian's package " +
            "(apt-get install --no-install-recommends prometheus).");
        // The port is free when picked and taken by Prometheus a moment later; another process may win it in between.
        for (var attempt = 1; ; attempt++)
        {
            var port = Tollgate.Host.Tests.Support.Api.ClosedPort();
            var folder = Directory.CreateTempSubdirectory("tollgate-prometheus-");
            var config = Path.Combine(folder.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: {Job}
                    metrics_path: /api/metrics
                    authorization:
                      type: Bearer
                      credentials: "{bearerToken}"
                    static_configs:
                      - targets: ["{host.Authority}"]
                """);
            var info = new System.Diagnostics.ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder.FullName,
            };
            foreach (var arg in new[]
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            })
                info.ArgumentList.Add(arg);
            var server = new PrometheusServer(System.Diagnostics.Process.Start(info)!, folder, new Uri($"http://127.0.0.1:{port}/"));
            if (await server.ReadyAsync()) return server;
            var log = server.Output;
            await server.DisposeAsync();
            if (attempt == PortAttempts || !log.Contains("address already in use", StringComparison.Ordinal))
                throw new InvalidOperationException($"prometheus did not become ready on port {port} within {StartDeadline.TotalSeconds:0} s:\n{log}");
        }
    }

    /// <summary>
    /// Waits until Prometheus has scraped the host successfully at or after <paramref name="at"/>, so every event
    /// recorded before <paramref name="at"/> is in its TSDB.
    /// </summary>
    public async Task WaitForScrapeAfterAsync(DateTimeOffset at, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        var wanted = at.ToUnixTimeMilliseconds() / 1000.0;
        while (true)
        {
            // up is 1 only for a scrape that answered 200 and parsed; its timestamp is the scrape's start.
            if (await InstantAsync($"timestamp(up{{job=\"{Job}\"}} == 1)") is { } scraped && scraped >= wanted) return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Prometheus did not scrape the host after {at:O} within {deadline.TotalSeconds:0} s; targets: " +
                    $"{await http.GetStringAsync("api/v1/targets")}\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>The value of an instant query's only sample, or null when it has none.</summary>
    public async Task<double?> InstantAsync(string promql)
    {
        var answer = await http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        var result = answer.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the process (an outage, as the source sees it); the folder stays until dispose.</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
        http.Dispose();
        if (folder.Exists) folder.Delete(recursive: true);
    }

    private async Task<bool> ReadyAsync()
    {
        var until = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            try
            {
                using var ready = await http.GetAsync("-/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        return false;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string? FindOnPath(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
