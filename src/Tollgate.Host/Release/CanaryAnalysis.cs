using Tollgate.Host.Api;
using Tollgate.Governance.Audit;
using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;
using Tollgate.Release.Canary;
using Tollgate.Release.Metrics;
using Tollgate.Workflows.Release;

namespace Tollgate.Host.Release;

/// <summary>
/// One look of a canary analysis: reads each policy metric for the canary's and the baseline's config rev over the
/// window (and what is new since the previous look of the same window) from the metric source, counts failed health
/// checks, judges (<see cref="CanaryJudge"/>), stores the inputs and the verdict as one object, and records a
/// <c>canary_analysis</c> ledger entry naming it, with every metric's sample sizes, statistics and verdict.
/// </summary>
public sealed class CanaryAnalysis(ReleaseServices services)
{
    public async Task<AnalysisOutcome> RunAsync(AnalysisRequest request, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(request.ReleaseId, cancellationToken);
        var analysisId = string.Create(CultureInfo.InvariantCulture, $"{request.ReleaseId}:{request.Step}:{request.WindowStart.Ticks}:{request.Look}");
        var key = $"canary:{analysisId}";
        if (await services.FindOwnAsync(key, cancellationToken) is { } done) return await FromLedgerAsync(done, cancellationToken); // this look's first attempt recorded it

        var split = await services.SplitAsync(release, cancellationToken);
        var stable = (await services.Governance.VersionMaps.GetAsync(split?.StableMap ?? release.Candidate.Id, cancellationToken)).Map;
        var canaryRev = release.Candidate.Config;
        var baselineRev = stable.Config;
        var previous = (await services.Records.AnalysesAsync(request.ReleaseId, cancellationToken))
            .Where(a => a.Step == request.Step && a.WindowStart == request.WindowStart).OrderBy(a => a.Look).LastOrDefault();
        var from = Utc(request.WindowStart);
        var newFrom = previous is null ? from : Utc(previous.WindowEnd);
        var to = Utc(request.WindowEnd);

        var windows = new List<MetricWindow>();
        foreach (var metric in release.Policy.Metrics.Select(m => m.Judge.Name).Union([CanaryMetricNames.ErrorRate, CanaryMetricNames.ChannelLatencyMs]))
        {
            var canary = await ReadAsync(metric, release.Request.Environment, canaryRev, from, to, cancellationToken);
            var baseline = await ReadAsync(metric, release.Request.Environment, baselineRev, from, to, cancellationToken);
            var canaryNew = await ReadAsync(metric, release.Request.Environment, canaryRev, newFrom, to, cancellationToken);
            var baselineNew = await ReadAsync(metric, release.Request.Environment, baselineRev, newFrom, to, cancellationToken);
            windows.Add(new MetricWindow(metric, canary, baseline, canaryNew, baselineNew));
        }
        var healthFailed = (await services.Health.CheckAsync(cancellationToken)).Status == HealthApi.Fail ? 1 : 0;
        var failedChecks = (previous?.FailedHealthChecks ?? 0) + healthFailed;
        var prior = previous?.SequentialStates.ToDictionary(p => p.Key, p => p.Value!.AsObject(), StringComparer.Ordinal) ?? [];
        var inputs = new CanaryInputs(analysisId, canaryRev, baselineRev, request.Final, failedChecks, windows, prior, request.GuardRailsOnly);
        var verdict = CanaryJudge.Judge(release.Policy, inputs);
        var stored = await services.StoreObjectAsync(CanaryReplay.Store(inputs, verdict), cancellationToken);

        var metricSummaries = new JsonArray();
        foreach (var m in verdict.Record["metrics"]!.AsArray())
            metricSummaries.Add(new JsonObject
            {
                ["metric"] = m!["metric"]!.DeepClone(), ["n_canary"] = m["canary_window_size"]!.DeepClone(), ["n_baseline"] = m["baseline_window_size"]!.DeepClone(),
                ["canary_mean"] = m["canary_mean"]!.DeepClone(), ["baseline_mean"] = m["baseline_mean"]!.DeepClone(),
                ["mann_whitney"] = m["mann_whitney"]!.DeepClone(), ["sequential"] = m["sequential"]!.DeepClone(),
            });
        var payload = new JsonObject
        {
            ["release_id"] = request.ReleaseId, ["analysis_id"] = analysisId, ["decision"] = verdict.DecisionText,
            ["step"] = request.Step, ["look"] = request.Look, ["final"] = request.Final,
            ["window"] = new JsonObject { ["from"] = Text(from), ["to"] = Text(to) },
            ["canary_rev"] = canaryRev, ["baseline_rev"] = baselineRev, ["metric_source"] = services.Metrics.Name,
            ["reason_codes"] = JsonFacts.Strings(verdict.ReasonCodes), ["summary"] = verdict.Summary,
            ["guard_rails"] = verdict.Record["guard_rails"]!.DeepClone(), ["score"] = verdict.Record["score"]!.DeepClone(),
            ["metrics"] = metricSummaries, ["record_sha256"] = stored,
        };
        var index = await services.AppendOnceAsync(services.Entry(LedgerKinds.CanaryAnalysis, key, release, payload, release.Candidate.Id, stable.Id), cancellationToken);
        await services.Records.AddAnalysisAsync(request.ReleaseId, new AnalysisRow(analysisId, request.Step, request.Look, request.WindowStart, request.WindowEnd,
            verdict.DecisionText, verdict.ReasonCodes, verdict.Summary, stored, index, failedChecks, verdict.Record["sequential_states"]!.AsObject().DeepClone().AsObject()),
            cancellationToken);
        return new AnalysisOutcome(analysisId, verdict.DecisionText, verdict.ReasonCodes, verdict.Summary, index);
    }

    private async Task<IReadOnlyList<double>> ReadAsync(string metric, string environment, string rev, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            return (await services.Metrics.ReadAsync(new MetricQuery(metric, environment, rev, from, to), cancellationToken)).Values;
        }
        catch (MetricSourceException e) when (e.Code == MetricSourceReasons.Unknown)
        {
            return []; // a source without this metric: NoData for it, which a critical metric turns into INCONCLUSIVE, never PASS
        }
    }

    private async Task<AnalysisOutcome> FromLedgerAsync(long index, CancellationToken cancellationToken)
    {
        var p = (await services.Governance.Audit.ReadAsync(index, cancellationToken)).PayloadOf();
        return new AnalysisOutcome(p.GetProperty("analysis_id").GetString()!, p.GetProperty("decision").GetString()!,
            [.. p.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()!)], p.GetProperty("summary").GetString()!, index);
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
