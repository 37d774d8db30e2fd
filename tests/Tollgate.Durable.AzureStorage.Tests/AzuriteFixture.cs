using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Durable.AzureStorage.Tests;

/// <summary>
/// Storage for tests: the connection string in <c>TOLLGATE_TEST_STORAGE</c> when it is set (the test
/// script starts one Azurite for the whole run), otherwise an Azurite of our own from the repository's
/// node_modules, on OS-chosen loopback ports read back from its log, with its data in a temp directory.
/// One Azurite is shared by every fixture of the test process while any is alive; it is stopped with
/// SIGTERM, then SIGKILL after 5 s.
/// Use it as <c>IClassFixture&lt;AzuriteFixture&gt;</c> (or a collection fixture); give every test its own
/// task hub (<see cref="NewTaskHub"/>).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "TOLLGATE_TEST_STORAGE";

    /// <summary>
    /// The well-known key of Azurite's development account devstoreaccount1 (public, not a secret), as in
    /// node_modules/azurite/dist: "…IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==".
    /// </summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private bool _acquired;

    /// <summary>A full connection string with Blob, Queue and Table endpoints.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True when this process started the Azurite it uses (the variable was not set).</summary>
    public bool IsOwnAzurite => _acquired;

    /// <summary>A task hub name no other test uses: <paramref name="prefix"/> + 12 hex digits.</summary>
    public static string NewTaskHub(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..12];

    public static string DevelopmentConnectionString(int blobPort, int queuePort, int tablePort)
        => "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevelopmentAccountKey + ";" +
           $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
           $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }
        ConnectionString = await SharedAzurite.AcquireAsync();
        _acquired = true;
    }

    public async Task DisposeAsync()
    {
        if (!_acquired) return;
        _acquired = false;
        await SharedAzurite.ReleaseAsync();
    }

    private static class SharedAzurite
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static AzuriteProcess? _process;
        private static int _users;

        public static async Task<string> AcquireAsync()
        {
            await Gate.WaitAsync();
            try
            {
                _process ??= await AzuriteProcess.StartAsync();
                _users++;
                return _process.ConnectionString;
            }
            finally { Gate.Release(); }
        }

        public static async Task ReleaseAsync()
        {
            await Gate.WaitAsync();
            try
            {
                if (--_users > 0 || _process is null) return;
                await _process.StopAsync();
                _process = null;
            }
            finally { Gate.Release(); }
        }
    }
}

/// <summary>One Azurite process started from the repository's node_modules.</summary>
public sealed partial class AzuriteProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _dataDirectory;
    private Process? _watchdog;
    private int _stopped;

    private AzuriteProcess(Process process, string dataDirectory, string connectionString)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }
    public int ProcessId => _process.Id;

    public static async Task<AzuriteProcess> StartAsync()
    {
        var executable = FindAzurite();
        var data = Directory.CreateTempSubdirectory("tollgate-azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--silent", "--location", data, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", "0", "--queuePort", "0", "--tablePort", "0", "--skipApiVersionCheck", "--loose",
                 })
            start.ArgumentList.Add(arg);

        var log = new StringBuilder();
        var ports = new Dictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log)
            {
                log.AppendLine(e.Data);
                if (Listening().Match(e.Data) is { Success: true } m) ports[m.Groups["service"].Value] = int.Parse(m.Groups["port"].Value);
                if (ports.Count == 3) ready.TrySetResult();
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Azurite exited with {SafeExitCode(process)} before listening:\n{Snapshot(log)}"));
        if (!process.Start()) throw new InvalidOperationException($"Could not start {executable}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, data, "");
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception e)
        {
            await azurite.StopAsync();
            throw new InvalidOperationException($"Azurite did not report its ports within {StartTimeout.TotalSeconds} s:\n{Snapshot(log)}", e);
        }
        string connectionString;
        lock (log) connectionString = AzuriteFixture.DevelopmentConnectionString(ports["Blob"], ports["Queue"], ports["Table"]);
        var started = new AzuriteProcess(process, data, connectionString);
        started.Guard();
        return started;
    }

    /// <summary>
    /// Makes sure Azurite does not outlive the test process: stopped on a normal exit even when no
    /// fixture was disposed, and (on Unix) by a small watchdog shell when the test process is killed.
    /// </summary>
    private void Guard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAsync().GetAwaiter().GetResult();
        if (OperatingSystem.IsWindows()) return;
        try
        {
            var watchdog = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            watchdog.ArgumentList.Add("-c");
            watchdog.ArgumentList.Add(
                $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {_process.Id} 2>/dev/null; do sleep 2; done; " +
                $"kill -TERM {_process.Id} 2>/dev/null; sleep 5; kill -KILL {_process.Id} 2>/dev/null; rm -rf '{_dataDirectory.Replace("'", "'\\''")}'; exit 0");
            _watchdog = Process.Start(watchdog);
        }
        catch (System.ComponentModel.Win32Exception) { /* no /bin/sh: the ProcessExit handler still stops it */ }
    }

    /// <summary>SIGTERM, then SIGKILL if it is still running after 5 s; then removes its data.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            if (_watchdog is { HasExited: false } watchdog) watchdog.Kill();
        }
        catch (InvalidOperationException) { }
        _watchdog?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                if (OperatingSystem.IsWindows()) _process.Kill(entireProcessTree: true);
                else _ = kill(_process.Id, SIGTERM);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await _process.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException) { /* never started or already reaped */ }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>node_modules/.bin/azurite in the nearest directory above the test binaries or the working directory that has it.</summary>
    public static string FindAzurite()
    {
        foreach (var origin in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"Azurite is not installed: no node_modules/.bin/azurite above {AppContext.BaseDirectory}. Run `npm ci` in the repository, " +
            $"or set {AzuriteFixture.EnvironmentVariable} to a storage connection string.");
    }

    private static string Snapshot(StringBuilder log) { lock (log) return log.ToString(); }

    private static string SafeExitCode(Process process) { try { return process.ExitCode.ToString(); } catch (InvalidOperationException) { return "?"; } }

    private const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();
}
