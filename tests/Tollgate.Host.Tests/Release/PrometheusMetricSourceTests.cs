using Tollgate.Host.Tests.Execution;
using Tollgate.Host.Tests.Release.Support;
using Tollgate.Release.Metrics;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// The Prometheus metric source against a real Prometheus that scraped a real Paper host while it routed intents of
/// three config revs (<see cref="ScrapedPaperHost"/>): what the source reads agrees with the host's own figures, an
/// operator's template replaces a default, a config rev that would break out of a PromQL string is escaped, a template
/// Prometheus refuses is a bad answer carrying Prometheus's error, and a stopped Prometheus is unavailable.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class PrometheusMetricSourceTests(ScrapedPaperHost scraped, ITestOutputHelper output) : IClassFixture<ScrapedPaperHost>, IDisposable
{
    /// <summary>Two scrapes per rate window, a point a second: the test's traffic lasts about 8 s.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where the windows start, after the traffic began. Near a counter's first samples Prometheus extrapolates a rate
    /// towards zero by how small the counter still is, differently for a ratio's numerator and denominator; once each
    /// counter has a few seconds of history, each point is exactly the ratio of the two counters' increases.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Reject_rates_read_through_Prometheus_agree_with_the_host_s_own_1_for_an_all_rejected_rev_0_for_a_clean_one()
    {
        var source = Source();
        var rejected = await source.ReadAsync(Query(CanaryMetricNames.RejectRate, scraped.RejectedRev), CancellationToken.None);
        var clean = await source.ReadAsync(Query(CanaryMetricNames.RejectRate, scraped.CleanRev), CancellationToken.None);
        output.WriteLine($"{rejected.Expression}\n  rejected rev: {string.Join(", ", rejected.Values)}\n  clean rev: {string.Join(", ", clean.Values)}");

        // The host's own figures first: all rejected, none rejected.
        Assert.Equal(ScrapedPaperHost.Rounds, scraped.Cohort(scraped.RejectedRev).Intents);
        Assert.Equal(1.0, scraped.Cohort(scraped.RejectedRev).RejectRate);
        Assert.Equal(0.0, scraped.Cohort(scraped.CleanRev).RejectRate);

        Assert.Equal(PrometheusMetricSource.SourceName, rejected.Source);
        Assert.Equal(PrometheusTemplates.Render(PrometheusTemplates.RejectRate, ScrapedPaperHost.Environment, scraped.RejectedRev, RateWindow), rejected.Expression);
        Assert.Contains($"environment=\"Paper\",config_rev=\"{scraped.RejectedRev}\"", rejected.Expression);
        AssertMostlyExactly(scraped.Cohort(scraped.RejectedRev).RejectRate, rejected.Values);
        // A clean rev has no REJECTED series at all: it reads 0, not nothing.
        Assert.True(clean.Values.Count >= 3, $"{clean.Values.Count} point(s)");
        Assert.All(clean.Values, value => Assert.Equal(0.0, value));
    }

    [Fact]
    public async Task Fill_ratio_error_rate_slippage_and_channel_latency_lie_within_the_host_s_per_event_samples()
    {
        var source = Source();
        async Task<IReadOnlyList<double>> ReadAsync(string metric, string rev)
        {
            var samples = await source.ReadAsync(Query(metric, rev), CancellationToken.None);
            output.WriteLine($"{metric} {rev}: {string.Join(", ", samples.Values)}");
            return samples.Values;
        }

        foreach (var metric in new[] { CanaryMetricNames.FillRatio, CanaryMetricNames.SlippageBps, CanaryMetricNames.ChannelLatencyMs })
            AssertWithin(await ReadAsync(metric, scraped.CleanRev), scraped.Observed(scraped.CleanRev, metric), metric);
        var errors = await ReadAsync(CanaryMetricNames.ErrorRate, scraped.CleanRev);
        Assert.True(errors.Count >= 3, $"error_rate: {errors.Count} point(s)");
        Assert.All(errors, value => Assert.Equal(0.0, value));
        Assert.All(scraped.Observed(scraped.CleanRev, CanaryMetricNames.ErrorRate), value => Assert.Equal(0.0, value));

        // Refused before the channel: nothing sent, filled or timed, so no samples rather than zeros.
        foreach (var metric in new[] { CanaryMetricNames.FillRatio, CanaryMetricNames.SlippageBps, CanaryMetricNames.ChannelLatencyMs, CanaryMetricNames.ErrorRate })
            Assert.Empty(await ReadAsync(metric, scraped.RejectedRev));
    }

    [Fact]
    public async Task An_operator_s_templates_replace_the_defaults_and_read_the_host_s_totals_and_its_latency_bucket()
    {
        var source = Source(new Dictionary<string, string>
        {
            [CanaryMetricNames.SlippageBps] = $"sum({PrometheusTemplates.SlippageSeries}{{{PrometheusTemplates.Cohort}}}) / sum({PrometheusTemplates.SlippedFillsSeries}{{{PrometheusTemplates.Cohort}}})",
            [CanaryMetricNames.ChannelLatencyMs] = PrometheusTemplates.ChannelLatencyP95Ms,
        });
        var slippage = await source.ReadAsync(Query(CanaryMetricNames.SlippageBps, scraped.CleanRev), CancellationToken.None);
        var p95 = await source.ReadAsync(Query(CanaryMetricNames.ChannelLatencyMs, scraped.CleanRev), CancellationToken.None);
        var cohort = scraped.Cohort(scraped.CleanRev);
        output.WriteLine($"{slippage.Expression}: {string.Join(", ", slippage.Values)} (host: {cohort.SlippageBpsMean})\n{p95.Expression}: {string.Join(", ", p95.Values)} (host: {cohort.ChannelLatencyP95Ms})");

        Assert.StartsWith($"sum({PrometheusTemplates.SlippageSeries}{{environment=", slippage.Expression);
        // The counters' totals after the last scrape: the mean slippage of every fill the host saw (its summary rounds it to 4 places).
        Assert.Equal(scraped.Observed(scraped.CleanRev, CanaryMetricNames.SlippageBps).Average(), slippage.Values[^1], 1e-9);
        Assert.Equal((double)cohort.SlippageBpsMean!.Value, slippage.Values[^1], 0.00005 + 1e-9);

        // histogram_quantile places the p95 inside the bucket the host's own p95 falls in (OpenTelemetry's default bounds).
        double[] bounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
        var hostP95 = cohort.ChannelLatencyP95Ms!.Value;
        var upper = bounds.First(b => b >= hostP95);
        var lower = bounds.LastOrDefault(b => b < hostP95);
        Assert.NotEmpty(p95.Values);
        Assert.All(p95.Values, value => Assert.InRange(value, lower, upper));
    }

    [Fact]
    public async Task A_config_rev_with_a_quote_a_brace_and_the_window_placeholder_reads_its_own_cohort_and_an_injection_reads_nothing()
    {
        var quoted = await Source().ReadAsync(Query(CanaryMetricNames.RejectRate, scraped.QuotedRev), CancellationToken.None);
        output.WriteLine($"{quoted.Expression}: {string.Join(", ", quoted.Values)}");
        Assert.Contains("-\\\"} or vector(1) or {\\\\ $window\"", quoted.Expression); // escaped, and $window left as it is
        Assert.Equal(ScrapedPaperHost.Rounds, scraped.Cohort(scraped.QuotedRev).Rejected);
        AssertMostlyExactly(scraped.Cohort(scraped.QuotedRev).RejectRate, quoted.Values);

        // Unescaped, this rev would make the expression sum(... {…,config_rev="x"} or vector(1) or up{job=""}): 1 at every point.
        var counting = Source(new Dictionary<string, string>
        {
            [CanaryMetricNames.RejectRate] = $"sum({PrometheusTemplates.IntentsSeries}{{{PrometheusTemplates.Cohort}}})",
        });
        var injected = await counting.ReadAsync(Query(CanaryMetricNames.RejectRate, "x\"} or vector(1) or up{job=\""), CancellationToken.None);
        output.WriteLine($"{injected.Expression}: {string.Join(", ", injected.Values)}");
        Assert.Empty(injected.Values);
        var honest = await counting.ReadAsync(Query(CanaryMetricNames.RejectRate, scraped.CleanRev), CancellationToken.None);
        Assert.Equal(ScrapedPaperHost.Rounds, honest.Values[^1]);
    }

    [Fact]
    public async Task A_template_Prometheus_refuses_or_one_that_does_not_aggregate_is_a_bad_answer()
    {
        var source = Source(new Dictionary<string, string>
        {
            [CanaryMetricNames.RejectRate] = $"sum(rate({PrometheusTemplates.IntentsSeries}{{{PrometheusTemplates.Cohort}}}[{PrometheusTemplates.Window}])",
            [CanaryMetricNames.FillRatio] = $"rate({PrometheusTemplates.OrdersSeries}{{{PrometheusTemplates.Cohort}}}[{PrometheusTemplates.Window}])",
        });
        var unparsable = await Assert.ThrowsAsync<MetricSourceException>(() => source.ReadAsync(Query(CanaryMetricNames.RejectRate, scraped.CleanRev), CancellationToken.None));
        output.WriteLine(unparsable.Message);
        Assert.Equal(MetricSourceReasons.BadAnswer, unparsable.Code);
        Assert.Contains("bad_data: ", unparsable.Message);
        Assert.Contains("parse error", unparsable.Message); // Prometheus's own words

        // One series per status (SUBMITTED, FILLED): the source will not guess how to combine them.
        var several = await Assert.ThrowsAsync<MetricSourceException>(() => source.ReadAsync(Query(CanaryMetricNames.FillRatio, scraped.CleanRev), CancellationToken.None));
        output.WriteLine(several.Message);
        Assert.Equal(MetricSourceReasons.BadAnswer, several.Code);
        Assert.Contains("series, not one", several.Message);
    }

    [Fact]
    public async Task A_stopped_Prometheus_is_unavailable()
    {
        await using var stopped = await PrometheusServer.StartAsync(new Uri($"http://127.0.0.1:{Tollgate.Host.Tests.Support.Api.ClosedPort()}"), "no-host-here");
        var source = new PrometheusMetricSource(http, new PrometheusMetricSourceOptions { Endpoint = stopped.Endpoint, Step = ScrapedPaperHost.Step, RateWindow = RateWindow });
        var now = DateTimeOffset.UtcNow;
        var query = new MetricQuery(CanaryMetricNames.RejectRate, ScrapedPaperHost.Environment, "rules-any", now.AddMinutes(-1), now);
        Assert.Empty((await source.ReadAsync(query, CancellationToken.None)).Values); // it answers while it runs

        await stopped.StopAsync();
        var down = await Assert.ThrowsAsync<MetricSourceException>(() => source.ReadAsync(query, CancellationToken.None));
        output.WriteLine(down.Message);
        Assert.Equal(MetricSourceReasons.Unavailable, down.Code);
        Assert.Contains($"{stopped.Endpoint}api/v1/query_range did not answer", down.Message);
        Assert.IsType<HttpRequestException>(down.InnerException);
    }

    private PrometheusMetricSource Source(IReadOnlyDictionary<string, string>? templates = null) => new(http, new PrometheusMetricSourceOptions
    {
        Endpoint = scraped.Prometheus.Endpoint,
        Step = ScrapedPaperHost.Step,
        RateWindow = RateWindow,
        Templates = templates ?? new Dictionary<string, string>(),
    });

    private MetricQuery Query(string metric, string rev) => new(metric, ScrapedPaperHost.Environment, rev, scraped.TrafficStarted + Settle, scraped.Scraped);

    /// <summary>
    /// Every point is <paramref name="expected"/> — but for a scrape that lands between the router counting an intent
    /// and counting its rejection (a store write apart): it puts the window ending there an intent short and the one
    /// starting there an intent over. So most points are exactly it, and none is far.
    /// </summary>
    private static void AssertMostlyExactly(double expected, IReadOnlyList<double> points)
    {
        Assert.True(points.Count >= 3, $"{points.Count} point(s)");
        Assert.All(points, value => Assert.InRange(value, expected * 0.5, expected * 2));
        Assert.True(points.Count(value => Math.Abs(value - expected) < 1e-9) * 2 > points.Count, $"most of {string.Join(", ", points)} are exactly {expected}");
    }

    /// <summary>A mean over a window of events lies between the smallest and the largest of them.</summary>
    private static void AssertWithin(IReadOnlyList<double> points, IReadOnlyList<double> events, string metric)
    {
        Assert.True(points.Count >= 3, $"{metric}: {points.Count} point(s)");
        Assert.NotEmpty(events);
        var slack = 1e-9 * Math.Max(1, events.Max(Math.Abs));
        Assert.All(points, value => Assert.InRange(value, events.Min() - slack, events.Max() + slack));
    }
}
