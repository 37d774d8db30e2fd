using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tollgate.Crash.Tests;

/// <summary>A real Tollgate host as a child process on a free loopback port, killed for real.</summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _crashPoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = new();

    private HostProcess(Process process) => _process = process;

    public HttpClient Http { get; private set; } = null!;
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <param name="environment">More settings for the child process (a Paper host's market and execution settings, its secrets).</param>
    public static async Task<HostProcess> StartAsync(string storage, string taskHub, string effectsFile, string hostId, string? crashAt = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var hostDll = Path.Combine(RepoRoot(), "src", "Tollgate.Host", "bin", BuildConfiguration(), "net10.0", "Tollgate.Host.dll");
        if (!File.Exists(hostDll)) throw new FileNotFoundException("Build the host first.", hostDll);
        var info = new ProcessStartInfo("dotnet", [hostDll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        info.Environment["AzureWebJobsStorage"] = storage;
        info.Environment["Tollgate__Auth__LocalSigningKey"] = TestKey;
        info.Environment["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub;
        info.Environment["TOLLGATE_TASK_HUB"] = taskHub;
        info.Environment["TOLLGATE_TEST_WORKFLOWS"] = "1";
        info.Environment["TOLLGATE_EFFECTS_FILE"] = effectsFile;
        // The dev ledger signing key lives here, so every host of one test signs with the same key.
        info.Environment["TOLLGATE_DATA_DIR"] = Path.GetDirectoryName(Path.GetFullPath(effectsFile))!;
        info.Environment["TOLLGATE_HOST_ID"] = hostId;
        info.Environment["TOLLGATE_LEASE_SECONDS"] = "4";
        if (crashAt is not null) info.Environment["TOLLGATE_CRASH_AT"] = crashAt;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var host = new HostProcess(Process.Start(info)!);
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();

        var address = await host._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        host.Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
        host.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorToken);
        await host.WaitUntilStorageReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    public Task<string> CrashPointReached => _crashPoint.Task;

    /// <summary>The local token key every test host shares, and a token for an operator who also acts as CI.</summary>
    private static readonly string TestKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static readonly string OperatorToken = Token("router", "Operator", "Pipeline");

    private static string Token(string subject, params string[] roles) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(
        new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "tollgate-local",
            Audience = "api://tollgate",
            Expires = DateTime.UtcNow.AddHours(4),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(TestKey)), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });

    /// <summary>A client of this host for <paramref name="subject"/> holding <paramref name="roles"/> (people and CI are different subjects: four eyes).</summary>
    public HttpClient As(string subject, params string[] roles)
    {
        var http = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(subject, roles));
        return http;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a machine losing power.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<string> StartOrchestrationAsync(string name, object input, string instanceId)
    {
        var response = await Http.PostAsJsonAsync($"/api/orchestrations/{name}?instanceId={instanceId}", input);
        Assert.True(response.IsSuccessStatusCode, $"start failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return instanceId;
    }

    public async Task<JsonElement> WaitForEndAsync(string instanceId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var response = await Http.GetAsync($"/api/orchestrations/{instanceId}");
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (last.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated") return last;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"'{instanceId}' did not end within {timeout}; last status {last}.\nHost output:\n{Output}");
    }

    /// <summary>The host listens before it has created the task hub's tables; until then health says FAIL.</summary>
    private async Task WaitUntilStorageReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var response = await Http.GetAsync("/api/health");
            var health = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (health.GetProperty("status").GetString() != "FAIL") return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"The host's storage did not become ready within {timeout}.\nHost output:\n{Output}");
    }

    public async Task<JsonElement> HealthAsync() => await Http.GetFromJsonAsync<JsonElement>("/api/health");

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (ListeningLine().Match(line) is { Success: true } listening) _listening.TrySetResult(listening.Groups[1].Value);
        if (line.StartsWith("TOLLGATE-CRASH-POINT ", StringComparison.Ordinal)) _crashPoint.TrySetResult(line["TOLLGATE-CRASH-POINT ".Length..].Trim());
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Functions.sln not found above the test binaries.");
    }

    private static string BuildConfiguration()
        => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
