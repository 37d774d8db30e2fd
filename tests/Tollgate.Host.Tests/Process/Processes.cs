using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Host.Tests.Process;

/// <summary>The built host and CLI as real child processes.</summary>
internal static partial class Processes
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Functions.sln not found above the test binaries.");
    }

    private static string Configuration()
        => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string HostDll => Path.Combine(RepoRoot(), "src", "Tollgate.Host", "bin", Configuration(), "net10.0", "Tollgate.Host.dll");
    public static string CliDll => Path.Combine(RepoRoot(), "src", "Tollgate.Cli", "bin", Configuration(), "net10.0", "tollgate.dll");

    public static ProcessStartInfo Dotnet(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first.", dll);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Nothing from the test's own environment decides where the child stores or listens.
        foreach (var key in new[] { "AzureWebJobsStorage", "ASPNETCORE_URLS", "FUNCTIONS_CUSTOMHANDLER_PORT", "TOLLGATE_ENDPOINT", "TOLLGATE_CRASH_AT", "TOLLGATE_TEST_WORKFLOWS", "TOLLGATE_TOKEN", "Tollgate__Auth__LocalSigningKey" })
            info.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            info.Environment[key] = value;
        return info;
    }

    public sealed record Result(int ExitCode, string Out, string Error);

    /// <summary>Runs to the end (or kills it after <paramref name="timeout"/>).</summary>
    public static async Task<Result> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', info.ArgumentList)} did not exit within {timeout}:\n{await output}\n{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    public static partial Regex ListeningLine();
}

/// <summary>A running host process; killed on dispose.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Prefix, TaskCompletionSource<string> Seen)> _waits = new();

    private HostProcess(System.Diagnostics.Process process) => _process = process;

    public string Endpoint { get; private set; } = "";
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var host = new HostProcess(System.Diagnostics.Process.Start(Processes.Dotnet(Processes.HostDll, ["--urls", "http://127.0.0.1:0"], environment))!);
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        try
        {
            host.Endpoint = await host._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new TimeoutException($"The host did not print 'Now listening on:' within 60 s:\n{host.Output}");
        }
        return host;
    }

    /// <summary>The first output line starting with <paramref name="prefix"/>.</summary>
    public Task<string> LineAsync(string prefix)
    {
        lock (_output)
        {
            var seen = _output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (seen is not null) return Task.FromResult(seen);
            var wait = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((prefix, wait));
            return wait.Task;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var (prefix, seen) in _waits)
                if (line.StartsWith(prefix, StringComparison.Ordinal)) seen.TrySetResult(line);
        }
        if (Processes.ListeningLine().Match(line) is { Success: true } listening) _listening.TrySetResult(listening.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
