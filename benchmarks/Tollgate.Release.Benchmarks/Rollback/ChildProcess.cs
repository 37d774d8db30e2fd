using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>
/// A <c>dotnet some.dll</c> child process whose output is read line by line: the address from ASP.NET Core's
/// "Now listening on:" line, the last lines for failure messages, and every line handed to an observer with the
/// <see cref="Stopwatch"/> timestamp it arrived at. Every child started is also in a process-wide list, so a
/// Ctrl-C or an exit path that skips the normal disposal still kills it (<see cref="KillAll"/>).
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process process;
    private readonly Action<string, long>? observer;
    private readonly TaskCompletionSource<string> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> tail = new();

    private ChildProcess(string name, Process process, Action<string, long>? observer)
    {
        Name = name;
        this.process = process;
        this.observer = observer;
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    /// <summary>Starts <paramref name="dll"/> with <paramref name="arguments"/> and the extra <paramref name="environment"/> (values never printed).</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        Action<string, long>? observer = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name}: {dll} is missing; build it in Release first (scripts/bench.sh rollback does).", dll);
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        Running[process.Id] = process;
        var child = new ChildProcess(name, process, observer);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The <c>http://127.0.0.1:PORT</c> the process says it listens on.</summary>
    public async Task<string> ListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(listening.Task, exited).WaitAsync(timeout, cancellationToken);
        if (first != listening.Task) throw new InvalidOperationException($"{Name} exited (code {process.ExitCode}) before listening:\n{Tail()}");
        return await listening.Task;
    }

    /// <summary>The last lines of output, for a failure message.</summary>
    public string Tail()
    {
        lock (tail) return string.Join('\n', tail);
    }

    public async ValueTask DisposeAsync()
    {
        Kill(process);
        await process.WaitForExitAsync();
        Running.TryRemove(process.Id, out _);
        process.Dispose();
    }

    /// <summary>Kills every child still running: the last resort on Ctrl-C, SIGTERM or process exit.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Values) Kill(process);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        var at = Stopwatch.GetTimestamp();
        lock (tail)
        {
            tail.Enqueue(line.Length > 500 ? line[..500] + " …" : line);
            if (tail.Count > TailLines) tail.Dequeue();
        }
        if (Listening().Match(line) is { Success: true } match) listening.TrySetResult(match.Groups[1].Value);
        observer?.Invoke(line, at);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
