using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>The Markdown report of a rollback run: the machine, the method, the distributions and every release.</summary>
internal sealed class RollbackReport(RollbackSettings settings, DateTime startedUtc, TimeSpan wall, IReadOnlyList<RollbackSample> samples)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Write(TextWriter output)
    {
        void Line(FormattableString? text = null) => output.WriteLine(text?.ToString(Inv) ?? "");
        var limitMs = settings.MaxRollbackSeconds * 1000.0;
        var poll = settings.RulesPollMs is { } ms ? $"{ms} ms (Tollgate:Execution:RulesPollMs)" : "250 ms (the host's default, `ExecutionSettings.RulesPollInterval`)";

        Line($"# Rollback time: trigger → every host acknowledged — {startedUtc:yyyy-MM-dd HH:mm} UTC");
        Line();
        Line($"- Date (UTC): {startedUtc:yyyy-MM-dd HH:mm}-{startedUtc + wall:HH:mm}, wall time {wall.TotalMinutes:0.0} min");
        Line($"- Machine: {Environment.ProcessorCount} logical processors (`nproc`), {CpuModel()} (`/proc/cpuinfo`), {OsName()} ({RuntimeInformation.OSArchitecture})");
        Line($"- Runtime: .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC (benchmark; the hosts run the same runtime)");
        Line($"- Hosts: {settings.Hosts} Tollgate host processes (Release build) in Paper mode on one Azurite task hub, against the loopback fake exchange (SPOT:BTCUSDT, SPOT:ETHUSDT, FUT:BTCUSDT); {(settings.BusyRules ? "rules that trade all the time (`--busy-rules`)" : "rules evaluated on every book update that never fire (no intents: several Paper hosts on one task hub collide on the shared order-intents stream log)")}; releases driven through the first host's HTTP API");
        Line($"- Releases: {samples.Count} code releases, each with its own candidate map; policy: 10% → 50% → 100%, first watch 600 s, analysis every 5 s, `max_rollback_seconds` {settings.MaxRollbackSeconds}");
        Line($"- Rules poll interval: {poll}. The host that appends the ABORT record (whichever runs the rollback's revert activity) swaps at once; the others learn of it by polling");
        Line($"- Method: each release is started as CI would (`POST /api/releases`, a passing JUnit report); once its canary is RUNNING at step 1 with weight > 0 and every host has logged that it serves the canary's split record, an Operator sends `POST /api/releases/{{id}}/abort`. **Trigger → last acknowledgement** is the release's own figure (`rollback.triggerToAckMs`: from the start of the revert activity, which appends the ABORT record, to the latest acknowledgement row of the {settings.Hosts} hosts; host clocks, one machine). Every release was checked: ROLLED_BACK with REL-ABORTED, rollback COMPLETE, acknowledged by all {settings.Hosts} hosts, none missing. **Client-observed** is abort request sent → the first read of `GET /api/releases/{{id}}` showing the rollback COMPLETE (client clock; includes the control event's delivery, its ledger record and the view polling: reads back to back with {settings.ViewPoll.TotalMilliseconds:0} ms pauses, {samples.Average(s => s.MeanViewReadMs):0} ms per read on average)");
        Line($"- Percentiles: nearest rank over the {samples.Count} releases (p = the ⌈p/100 · n⌉-th smallest); with n = {samples.Count} the p99 is rank {NearestRank(samples.Count, 99)} of {samples.Count}{(NearestRank(samples.Count, 99) == samples.Count ? ", i.e. the maximum" : "")}");
        Line();
        Line($"| Measure | Releases | Min (ms) | p50 (ms) | p90 (ms) | p99 (ms) | Max (ms) | Limit | Over the limit |");
        Line($"|---|--:|--:|--:|--:|--:|--:|---|--:|");
        Row(output, "trigger → last host acknowledged (`rollback.triggerToAckMs`)", samples.Select(s => s.TriggerToAckMs), limitMs);
        Row(output, "abort request sent → view shows rollback COMPLETE (client-observed, includes polling)", samples.Select(s => s.ClientMs), limitMs);
        Row(output, "abort request sent → first host logs the stable rules (split ABORT record)", samples.Select(s => s.FirstHostSwapMs), null);
        Row(output, "abort request sent → last host logs the stable rules", samples.Select(s => s.LastHostSwapMs), null);
        Line();
        var canary = samples.Select(s => s.StartToCanary.TotalSeconds).Order().ToArray();
        Line($"Release start → canary at step 1 on every host (Build … Deploy, Verify, the weight record, every host serving it): p50 {Percentile(canary, 50):0.0} s, max {canary[^1]:0.0} s. The host log lines are read by the benchmark from each host's console output as they arrive, so they include the console logger's queue.");
        Line();
        Line($"| # | Release | ABORT split | trigger → last ack (ms) | client-observed (ms) | first / last host logs stable (ms) | hosts acknowledged | analyses before the end |");
        Line($"|--:|---|--:|--:|--:|--:|--:|--:|");
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            Line($"| {i + 1} | {s.ReleaseId} | #{s.AbortSplit} | {s.TriggerToAckMs:0.0} | {s.ClientMs:0.0} | {s.FirstHostSwapMs:0.0} / {s.LastHostSwapMs:0.0} | {s.Acknowledged} | {s.Analyses} |");
        }
    }

    private static void Row(TextWriter output, string measure, IEnumerable<double> values, double? limitMs)
    {
        var sorted = values.Order().ToArray();
        var limit = limitMs is { } l ? string.Create(Inv, $"≤ {l:N0} ms (max_rollback_seconds)") : "–";
        var over = limitMs is { } m ? sorted.Count(v => v > m).ToString(Inv) : "";
        output.WriteLine(string.Create(Inv,
            $"| {measure} | {sorted.Length} | {sorted[0]:N1} | {Percentile(sorted, 50):N1} | {Percentile(sorted, 90):N1} | {Percentile(sorted, 99):N1} | {sorted[^1]:N1} | {limit} | {over} |"));
    }

    /// <summary>Nearest rank: the ⌈p/100 · n⌉-th smallest of <paramref name="sorted"/> (ascending).</summary>
    private static double Percentile(double[] sorted, double p) => sorted[NearestRank(sorted.Length, p) - 1];

    private static int NearestRank(int n, double p) => Math.Clamp((int)Math.Ceiling(p / 100 * n), 1, n);

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "CPU model unknown" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "CPU model unknown";
        }
    }

    private static string OsName()
    {
        try
        {
            var pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (pretty is not null) return pretty["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.OSDescription.Trim();
    }
}
