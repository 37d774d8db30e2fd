using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Tollgate.Governance.Benchmarks;

/// <summary>A real Tollgate host as a child process on a free loopback port.</summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<string> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => this.process = process;

    public string Endpoint { get; private set; } = "";

    public static async Task<HostProcess> StartAsync(string storage, string taskHub, string key, string dataDir, string hostId)
    {
        var hostDll = Path.Combine(RepoRoot(), "src", "Tollgate.Host", "bin", "Release", "net10.0", "Tollgate.Host.dll");
        if (!File.Exists(hostDll)) throw new FileNotFoundException("Build the host (Release) first.", hostDll);
        var info = new ProcessStartInfo("dotnet", [hostDll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        info.Environment["AzureWebJobsStorage"] = storage;
        info.Environment["TOLLGATE_TASK_HUB"] = taskHub;
        info.Environment["Tollgate__Auth__LocalSigningKey"] = key;
        info.Environment["TOLLGATE_DATA_DIR"] = dataDir;
        info.Environment["TOLLGATE_HOST_ID"] = hostId;
        var host = new HostProcess(Process.Start(info)!);
        host.process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host.process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host.process.BeginOutputReadLine();
        host.process.BeginErrorReadLine();
        host.Endpoint = await host.listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Until the host's storage and ledger answer (health not FAIL, a checkpoint to read).</summary>
    public async Task WaitReadyAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Endpoint) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            try
            {
                var health = await http.GetStringAsync("/api/health");
                if (!health.Contains("\"FAIL\"", StringComparison.Ordinal) && (await http.GetAsync("/api/ledger/checkpoint")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
        }
        throw new TimeoutException($"The host at {Endpoint} did not become ready.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is not null && Listening().Match(line) is { Success: true } match) listening.TrySetResult(match.Groups[1].Value);
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Functions.sln not found above the benchmark binaries.");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
