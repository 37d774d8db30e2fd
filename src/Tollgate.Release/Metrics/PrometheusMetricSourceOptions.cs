namespace Tollgate.Release.Metrics;

/// <summary>Where the Prometheus metric source asks, how finely, and with which PromQL.</summary>
public sealed record PrometheusMetricSourceOptions
{
    /// <summary>
    /// The Prometheus HTTP API's root: the server (<c>http://prometheus:9090/</c>), or an Azure Monitor workspace's
    /// query endpoint (<c>https://&lt;workspace&gt;.&lt;region&gt;.prometheus.monitor.azure.com/</c>);
    /// <c>api/v1/query_range</c> is appended.
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>
    /// The distance between two samples. Default 1 minute, the seed's canary check interval; with
    /// <see cref="RateWindow"/> equal to it, each sample counts each event once and no two samples share one,
    /// which the rank test the canary judge runs assumes of its samples.
    /// </summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The range each sample's <c>rate()</c> reads (<c>$window</c>). Default 1 minute. It should hold several scrapes
    /// (at least two; four is the usual advice), or samples go missing.
    /// </summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Templates by canary metric name that replace <see cref="PrometheusTemplates.Defaults"/>'s, for an operator who
    /// writes their own PromQL. Each must name <c>$cohort</c>: a template without it would judge the whole fleet.
    /// </summary>
    public IReadOnlyDictionary<string, string> Templates { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Called before each request for a bearer token (Azure Monitor wants an Entra ID token for
    /// <c>https://prometheus.monitor.azure.com/.default</c>); null, or a null answer, sends none. The token is sent in
    /// the Authorization header only: it is never part of a message, an expression or a log.
    /// </summary>
    public Func<CancellationToken, Task<string?>>? BearerTokenProvider { get; init; }

    /// <summary>How long one query may take before the source answers CAN-METRIC-UNAVAILABLE. Default 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
