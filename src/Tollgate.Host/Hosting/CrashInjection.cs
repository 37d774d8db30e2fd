namespace Tollgate.Host.Hosting;

/// <summary>
/// <c>TOLLGATE_CRASH_AT=&lt;fault point&gt;</c>: the first time the engine or the ledger writer reaches that
/// point, the host prints <c>TOLLGATE-CRASH-POINT &lt;point&gt;</c> to stdout and stops dead there, so a crash
/// test can SIGKILL it at exactly that step. Never set in production.
/// </summary>
public static class CrashInjection
{
    public const string Marker = "TOLLGATE-CRASH-POINT";

    public static Func<string, Task>? For(string? crashAt, TextWriter? output = null)
    {
        if (crashAt is null) return null;
        var reached = 0;
        return async point =>
        {
            if (point != crashAt || Interlocked.Exchange(ref reached, 1) != 0) return;
            var writer = output ?? Console.Out;
            writer.WriteLine($"{Marker} {point}");
            writer.Flush();
            await Task.Delay(Timeout.Infinite);
        };
    }
}
