using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Release.Metrics;

/// <summary>
/// The PromQL the Prometheus metric source sends: one template per canary metric over the series the host exports at
/// <c>/api/metrics</c> (OpenTelemetry's Prometheus exporter names them: counters get <c>_total</c>, the latency
/// histogram gets its unit, <c>_milliseconds</c>), and how a template becomes an expression.
/// </summary>
/// <remarks>
/// A template names two placeholders. <see cref="Cohort"/> becomes the cohort's label matchers,
/// <c>environment="…",config_rev="…"</c>, without braces, so a template adds it beside its own matchers
/// (<c>metric{status="REJECTED",$cohort}</c>). <see cref="Window"/> becomes the rate window as a PromQL duration
/// (<c>1m</c>, <c>3s</c>, <c>1500ms</c>). Each ratio is of two rates over the same window, so it is the ratio of the
/// two counters' increases in that window; a window with no event in it is 0/0 (NaN), which the source drops.
/// </remarks>
public static partial class PrometheusTemplates
{
    /// <summary>Replaced by the cohort's label matchers.</summary>
    public const string Cohort = "$cohort";

    /// <summary>Replaced by the rate window.</summary>
    public const string Window = "$window";

    public const string OrdersSeries = "tollgate_execution_orders_total";
    public const string IntentsSeries = "tollgate_execution_intents_total";
    public const string ChannelCallsSeries = "tollgate_execution_channel_calls_total";
    public const string ChannelLatencySeries = "tollgate_execution_channel_latency_milliseconds";
    public const string SlippageSeries = "tollgate_execution_slippage_bps_total";
    public const string SlippedFillsSeries = "tollgate_execution_slipped_fills_total";
    public const string SentQuantitySeries = "tollgate_execution_sent_quantity_total";
    public const string ExecutedQuantitySeries = "tollgate_execution_executed_quantity_total";

    /// <summary>
    /// Rejected orders over intents routed (what <c>GET /api/execution</c> calls the reject rate). A cohort with no
    /// rejection has no REJECTED series at all, so the numerator falls back to 0 (<c>or vector(0)</c>): a clean rev
    /// reads 0, not nothing.
    /// </summary>
    public const string RejectRate =
        $"(sum(rate({OrdersSeries}{{status=\"REJECTED\",{Cohort}}}[{Window}])) or vector(0)) / sum(rate({IntentsSeries}{{{Cohort}}}[{Window}]))";

    /// <summary>Place calls whose outcome was unknown over all place calls; 0 when none was unknown, as for <see cref="RejectRate"/>.</summary>
    public const string ErrorRate =
        $"(sum(rate({ChannelCallsSeries}{{outcome=\"unknown\",{Cohort}}}[{Window}])) or vector(0)) / sum(rate({ChannelCallsSeries}{{{Cohort}}}[{Window}]))";

    /// <summary>The mean slippage of the window's fills, basis points (sum over count).</summary>
    public const string SlippageBps =
        $"sum(rate({SlippageSeries}{{{Cohort}}}[{Window}])) / sum(rate({SlippedFillsSeries}{{{Cohort}}}[{Window}]))";

    /// <summary>
    /// The mean latency of the window's place calls, milliseconds (histogram sum over count). The mean, not a
    /// quantile: the histogram has OpenTelemetry's default bounds (0, 5, 10, 25, 50, 75, 100, 250, … ms), and
    /// <c>histogram_quantile</c> only interpolates inside the bucket the quantile falls in — every sub-5 ms p95 reads
    /// the same — while the mean is exact. An operator who wants the p95 overrides this template
    /// (<see cref="ChannelLatencyP95Ms"/>).
    /// </summary>
    public const string ChannelLatencyMs =
        $"sum(rate({ChannelLatencySeries}_sum{{{Cohort}}}[{Window}])) / sum(rate({ChannelLatencySeries}_count{{{Cohort}}}[{Window}]))";

    /// <summary>Not a default: the p95 of the place calls' latency as <c>histogram_quantile</c> estimates it from the buckets.</summary>
    public const string ChannelLatencyP95Ms =
        $"histogram_quantile(0.95, sum by (le) (rate({ChannelLatencySeries}_bucket{{{Cohort}}}[{Window}])))";

    /// <summary>Executed over sent quantity of the orders that ended in the window.</summary>
    public const string FillRatio =
        $"sum(rate({ExecutedQuantitySeries}{{{Cohort}}}[{Window}])) / sum(rate({SentQuantitySeries}{{{Cohort}}}[{Window}]))";

    /// <summary>
    /// The template of each canary metric that has a series. <see cref="CanaryMetricNames.PnlPerTrade"/> has none:
    /// realized PnL is kept per trade in process only, so the source answers it CAN-METRIC-UNKNOWN unless an operator
    /// supplies a template.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CanaryMetricNames.RejectRate] = RejectRate,
        [CanaryMetricNames.ErrorRate] = ErrorRate,
        [CanaryMetricNames.SlippageBps] = SlippageBps,
        [CanaryMetricNames.ChannelLatencyMs] = ChannelLatencyMs,
        [CanaryMetricNames.FillRatio] = FillRatio,
    };

    /// <summary>
    /// The expression of <paramref name="template"/> for one cohort. Both placeholders are replaced in one pass, so a
    /// label value that contains the text <c>$window</c> stays as it is; label values are escaped
    /// (<see cref="QuoteLabelValue"/>), so no config rev can end the string and add PromQL of its own.
    /// </summary>
    public static string Render(string template, string environment, string configRev, TimeSpan window)
    {
        var cohort = $"environment={QuoteLabelValue(environment)},config_rev={QuoteLabelValue(configRev)}";
        var duration = Duration(window);
        return Placeholder().Replace(template, match => match.Value == Cohort ? cohort : duration);
    }

    /// <summary>
    /// <paramref name="value"/> as a double-quoted PromQL string: backslash and double quote escaped, and every
    /// control character written as <c>\uXXXX</c> (a raw line break ends a PromQL string with an error).
    /// </summary>
    public static string QuoteLabelValue(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': quoted.Append(@"\\"); break;
                case '"': quoted.Append("\\\""); break;
                case '\n': quoted.Append(@"\n"); break;
                case '\r': quoted.Append(@"\r"); break;
                case '\t': quoted.Append(@"\t"); break;
                default:
                    if (char.IsControl(c)) quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <summary><paramref name="span"/> as a PromQL duration: whole seconds as <c>Ns</c>, anything finer as <c>Nms</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        var milliseconds = (long)span.TotalMilliseconds;
        if (milliseconds < 1 || span.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentOutOfRangeException(nameof(span), span, "a PromQL duration is a positive whole number of milliseconds");
        return milliseconds % 1000 == 0
            ? (milliseconds / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    [GeneratedRegex(@"\$cohort|\$window", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
