using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tollgate.Release.Metrics;

/// <summary>
/// Canary metrics from the Prometheus HTTP API (<c>GET /api/v1/query_range</c>), as a Prometheus server or Azure
/// Monitor managed Prometheus serves it: each metric is a PromQL template (<see cref="PrometheusTemplates"/>, or the
/// operator's own) over the series the host exports, narrowed to one cohort by its environment and config rev.
/// </summary>
/// <remarks>
/// <para>A query for <c>[From, To)</c> asks for the points <c>From + RateWindow</c>, then every <c>Step</c>, up to
/// <c>To</c>: the point at <c>t</c> reads <c>(t − RateWindow, t]</c>, so no point reads anything before <c>From</c>.</para>
/// <para>The answer must be one series (the templates aggregate with <c>sum</c>); its points become the samples in time
/// order. Points that are NaN — a window in which the denominator's counter did not move, 0/0 — are dropped: they say
/// no event happened, not that a value was measured. Infinities are kept. No series at all is an empty sample list.</para>
/// <para>Reasons: no answer (connection refused, timeout, HTTP 5xx, 408, 429, or an HTTP error without a Prometheus
/// error body, such as 401) is CAN-METRIC-UNAVAILABLE; an answer that is not one matrix (Prometheus's
/// <c>"status":"error"</c> with its error text — a bad template —, not JSON, another result type, several series) is
/// CAN-METRIC-BAD-ANSWER; a metric with no template is CAN-METRIC-UNKNOWN. Nothing is retried here: the canary
/// analysis decides whether to ask again.</para>
/// </remarks>
public sealed class PrometheusMetricSource : ICanaryMetricSource
{
    public const string SourceName = "prometheus";

    /// <summary>How much of Prometheus's error text a message carries.</summary>
    private const int MaxErrorText = 500;

    private readonly HttpClient http;
    private readonly PrometheusMetricSourceOptions options;
    private readonly Dictionary<string, string> templates;
    private readonly Uri queryRange;
    private readonly string step;

    /// <param name="http">Sends the queries; its own timeout and base address are not used (<see cref="PrometheusMetricSourceOptions"/>).</param>
    /// <exception cref="ArgumentException">The options are out of range, or a template names an unknown metric or no <c>$cohort</c>.</exception>
    public PrometheusMetricSource(HttpClient http, PrometheusMetricSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint;
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps) || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
            throw new ArgumentException($"Endpoint '{endpoint}' must be an absolute http(s) URI with no query or fragment.", nameof(options));
        if (options.RequestTimeout <= TimeSpan.Zero) throw new ArgumentException($"RequestTimeout {options.RequestTimeout} must be positive.", nameof(options));
        step = DurationOf(options.Step, nameof(options.Step));
        DurationOf(options.RateWindow, nameof(options.RateWindow));

        templates = new Dictionary<string, string>(PrometheusTemplates.Defaults, StringComparer.Ordinal);
        foreach (var (metric, template) in options.Templates)
        {
            if (!CanaryMetricNames.All.Contains(metric))
                throw new ArgumentException($"Template for '{metric}': not a canary metric ({string.Join(", ", CanaryMetricNames.All)}).", nameof(options));
            if (!template.Contains(PrometheusTemplates.Cohort, StringComparison.Ordinal))
                throw new ArgumentException($"Template for '{metric}' does not name {PrometheusTemplates.Cohort}: it would read every cohort at once.", nameof(options));
            templates[metric] = template;
        }

        this.http = http;
        this.options = options;
        var root = endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        queryRange = new Uri(root, "api/v1/query_range");
    }

    public string Name => SourceName;

    /// <exception cref="ArgumentException">The window ends before it starts, or is shorter than the rate window (no point fits in it).</exception>
    public async Task<MetricSamples> ReadAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!templates.TryGetValue(query.Metric, out var template))
            throw new MetricSourceException(MetricSourceReasons.Unknown, $"no PromQL template for '{query.Metric}' (templates: {string.Join(", ", templates.Keys.Order(StringComparer.Ordinal))})");
        if (query.To <= query.From) throw new ArgumentException($"The window {query.From:O} .. {query.To:O} is empty.", nameof(query));
        var first = query.From + options.RateWindow;
        if (first > query.To)
            throw new ArgumentException($"The window {query.From:O} .. {query.To:O} is shorter than the rate window {options.RateWindow}: no point fits in it.", nameof(query));

        var expression = PrometheusTemplates.Render(template, query.Environment, query.ConfigRev, options.RateWindow);
        var uri = new Uri($"{queryRange.AbsoluteUri}?query={Uri.EscapeDataString(expression)}&start={Seconds(first)}&end={Seconds(query.To)}&step={step}");
        var token = await TokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpStatusCode status;
        byte[] body;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MetricSourceException(MetricSourceReasons.Unavailable, $"{queryRange} did not answer within {options.RequestTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new MetricSourceException(MetricSourceReasons.Unavailable, Scrub($"{queryRange} did not answer: {e.Message}", token), e);
        }
        return new MetricSamples(query, Interpret(status, body, token), Name, expression);
    }

    /// <summary>The provider's token, checked to be a plain header value (so no header error can echo it), or null to send none.</summary>
    private async Task<string?> TokenAsync(CancellationToken cancellationToken)
    {
        if (options.BearerTokenProvider is not { } provider) return null;
        string? token;
        try
        {
            token = await provider(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new MetricSourceException(MetricSourceReasons.Unavailable, $"the bearer token provider failed ({e.GetType().Name})", e);
        }
        if (string.IsNullOrEmpty(token)) return null;
        if (token.Any(c => c is < '!' or > '~'))
            throw new MetricSourceException(MetricSourceReasons.Unavailable, "the bearer token provider's token has characters a header cannot carry");
        return token;
    }

    private IReadOnlyList<double> Interpret(HttpStatusCode status, byte[] body, string? token)
    {
        var code = (int)status;
        JsonDocument? document = null;
        try
        {
            try { document = JsonDocument.Parse(body); }
            catch (JsonException) { }
            var root = document?.RootElement;
            var envelope = root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var errorText = envelope == "error" ? Scrub(ErrorText(root!.Value), token) : null;

            if (code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                throw new MetricSourceException(MetricSourceReasons.Unavailable, $"{queryRange} answered HTTP {code}{(errorText is null ? "" : $": {errorText}")}");
            if (errorText is not null)
                throw new MetricSourceException(MetricSourceReasons.BadAnswer, $"Prometheus refused the query (HTTP {code}): {errorText}");
            if (code is < 200 or > 299)
                throw new MetricSourceException(MetricSourceReasons.Unavailable, $"{queryRange} answered HTTP {code} {status}");
            if (document is null) throw BadAnswer("the answer is not JSON");
            if (envelope != "success") throw BadAnswer($"the answer's status is {(envelope is null ? "missing" : $"'{envelope}'")}, not 'success'");
            return Points(root!.Value);
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static string ErrorText(JsonElement root)
    {
        var type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "(no error text)";
        var text = type is null ? error! : $"{type}: {error}";
        return text.Length <= MaxErrorText ? text : text[..MaxErrorText] + "…";
    }

    /// <summary>The one series' points, NaN dropped, checked to be a matrix in time order.</summary>
    private static List<double> Points(JsonElement root)
    {
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) throw BadAnswer("the answer has no data");
        var resultType = data.TryGetProperty("resultType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (resultType != "matrix") throw BadAnswer($"the result type is {(resultType is null ? "missing" : $"'{resultType}'")}, not 'matrix'");
        if (!data.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array) throw BadAnswer("the answer has no result list");
        var series = result.GetArrayLength();
        if (series == 0) return [];
        if (series > 1)
            throw BadAnswer($"{series} series, not one: the template must aggregate them (e.g. sum); labels of the first: {Labels(result[0])}");

        if (!result[0].TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array) throw BadAnswer("the series has no values");
        var points = new List<double>(values.GetArrayLength());
        var last = double.NegativeInfinity;
        foreach (var point in values.EnumerateArray())
        {
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() != 2 || point[0].ValueKind != JsonValueKind.Number || point[1].ValueKind != JsonValueKind.String)
                throw BadAnswer($"a point is not [time, \"value\"]: {Shorten(point.GetRawText())}");
            var at = point[0].GetDouble();
            if (at <= last) throw BadAnswer($"the points are not in time order (at {at.ToString(CultureInfo.InvariantCulture)})");
            last = at;
            var value = Value(point[1].GetString()!);
            if (!double.IsNaN(value)) points.Add(value);
        }
        return points;
    }

    /// <summary>A sample value as Prometheus writes it: a Go float, or NaN, +Inf, -Inf.</summary>
    private static double Value(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw BadAnswer($"'{Shorten(text)}' is not a sample value"),
    };

    private static string Labels(JsonElement series)
        => series.TryGetProperty("metric", out var metric) ? Shorten(metric.GetRawText()) : "(none)";

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static MetricSourceException BadAnswer(string message) => new(MetricSourceReasons.BadAnswer, message);

    /// <summary>A text with the bearer token taken out, should a server or a handler ever echo it.</summary>
    private static string Scrub(string text, string? token) => token is null ? text : text.Replace(token, "[token]", StringComparison.Ordinal);

    private static string DurationOf(TimeSpan span, string name)
    {
        try { return PrometheusTemplates.Duration(span); }
        catch (ArgumentOutOfRangeException) { throw new ArgumentException($"{name} {span} must be a positive whole number of milliseconds.", nameof(PrometheusMetricSourceOptions)); }
    }

    /// <summary>Unix seconds to the millisecond, one of the two time formats the API takes.</summary>
    private static string Seconds(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}
