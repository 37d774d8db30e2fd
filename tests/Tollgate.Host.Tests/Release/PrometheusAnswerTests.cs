using System.Net;
using System.Text;
using System.Web;
using Tollgate.Release.Metrics;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// What the Prometheus metric source asks and how it reads answers a real Prometheus does not give on demand (not
/// JSON, another result type, 5xx, a hang, an echoed token), through an HTTP handler that records each request and
/// answers as told. The real server's answers are in <see cref="PrometheusMetricSourceTests"/>.
/// </summary>
public sealed class PrometheusAnswerTests
{
    private const string Token = "eyJ0b2tlbi1mb3ItdGVzdHM.not-a-real-token";
    private static readonly DateTimeOffset From = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MetricQuery Query = new(CanaryMetricNames.RejectRate, "Paper", "rules-abc", From, From.AddMinutes(10));

    [Fact]
    public async Task The_request_is_a_GET_of_query_range_with_the_rendered_expression_the_window_after_the_first_rate_window_the_step_and_the_token()
    {
        var handler = new AnsweringHandler(HttpStatusCode.OK, Matrix("[1740830460,\"0.25\"],[1740830520,\"NaN\"],[1740830580,\"+Inf\"],[1740830640,\"0\"]"));
        var source = Source(handler, new PrometheusMetricSourceOptions
        {
            Endpoint = new Uri("http://prometheus.test/prom"),
            BearerTokenProvider = _ => Task.FromResult<string?>(Token),
        });

        var samples = await source.ReadAsync(Query, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/prom/api/v1/query_range", request.Uri.AbsolutePath);
        var parameters = HttpUtility.ParseQueryString(request.Uri.Query);
        Assert.Equal(samples.Expression, parameters["query"]);
        Assert.Equal(PrometheusTemplates.Render(PrometheusTemplates.RejectRate, "Paper", "rules-abc", TimeSpan.FromMinutes(1)), samples.Expression);
        Assert.Contains("[60s]", samples.Expression);
        Assert.Equal((From.AddMinutes(1).ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture), parameters["start"]);
        Assert.Equal((From.AddMinutes(10).ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture), parameters["end"]);
        Assert.Equal("60s", parameters["step"]);
        Assert.Equal($"Bearer {Token}", request.Authorization);
        // NaN (a window with no event) dropped, infinity kept, time order kept.
        Assert.Equal(new[] { 0.25, double.PositiveInfinity, 0 }, samples.Values);
        Assert.Equal("prometheus", samples.Source);
        Assert.Same(Query, samples.Query);
    }

    [Fact]
    public async Task No_series_is_no_samples_and_no_token_provider_sends_no_authorization()
    {
        var handler = new AnsweringHandler(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"matrix","result":[]}}""");
        var samples = await Source(handler).ReadAsync(Query, CancellationToken.None);
        Assert.Empty(samples.Values);
        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "<html>not json</html>", MetricSourceReasons.BadAnswer, "not JSON")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[]}}""", MetricSourceReasons.BadAnswer, "'vector', not 'matrix'")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"status":"FILLED"},"values":[]},{"metric":{"status":"SUBMITTED"},"values":[]}]}}""",
        MetricSourceReasons.BadAnswer, "2 series, not one: the template must aggregate them (e.g. sum); labels of the first: {\"status\":\"FILLED\"}")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[2,"1"],[1,"1"]]}]}}""", MetricSourceReasons.BadAnswer, "not in time order")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"one"]]}]}}""", MetricSourceReasons.BadAnswer, "'one' is not a sample value")]
    [InlineData(HttpStatusCode.OK, """{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}""", MetricSourceReasons.BadAnswer, "execution: many-to-many matching not allowed")]
    [InlineData(HttpStatusCode.BadRequest, """{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected <EOF>"}""", MetricSourceReasons.BadAnswer, "refused the query (HTTP 400): bad_data: 1:5: parse error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, """{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}""", MetricSourceReasons.Unavailable, "HTTP 503: timeout: query timed out")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", MetricSourceReasons.Unavailable, "answered HTTP 502")]
    [InlineData(HttpStatusCode.TooManyRequests, "", MetricSourceReasons.Unavailable, "answered HTTP 429")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_token"}""", MetricSourceReasons.Unavailable, "answered HTTP 401 Unauthorized")]
    public async Task Each_answer_that_is_not_one_matrix_has_its_reason(HttpStatusCode status, string body, string code, string message)
    {
        var failure = await Assert.ThrowsAsync<MetricSourceException>(() => Source(new AnsweringHandler(status, body)).ReadAsync(Query, CancellationToken.None));
        Assert.Equal(code, failure.Code);
        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_unavailable_and_the_caller_s_cancellation_stays_a_cancellation()
    {
        var hanging = new AnsweringHandler(HttpStatusCode.OK, "", delay: Timeout.InfiniteTimeSpan);
        var source = Source(hanging, new PrometheusMetricSourceOptions { Endpoint = new Uri("http://prometheus.test/"), RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var late = await Assert.ThrowsAsync<MetricSourceException>(() => source.ReadAsync(Query, CancellationToken.None));
        Assert.Equal(MetricSourceReasons.Unavailable, late.Code);
        Assert.Contains("did not answer within 0.2 s", late.Message);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var patient = Source(hanging, new PrometheusMetricSourceOptions { Endpoint = new Uri("http://prometheus.test/"), RequestTimeout = TimeSpan.FromMinutes(1) });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.ReadAsync(Query, cancel.Token));
    }

    [Fact]
    public async Task The_token_never_appears_in_a_message_even_when_the_server_echoes_it_or_the_provider_fails()
    {
        var echoing = new AnsweringHandler(HttpStatusCode.InternalServerError, $$"""{"status":"error","errorType":"internal","error":"bad credentials Bearer {{Token}}"}""");
        var withToken = new PrometheusMetricSourceOptions { Endpoint = new Uri("http://prometheus.test/"), BearerTokenProvider = _ => Task.FromResult<string?>(Token) };
        var echoed = await Assert.ThrowsAsync<MetricSourceException>(() => Source(echoing, withToken).ReadAsync(Query, CancellationToken.None));
        Assert.Equal(MetricSourceReasons.Unavailable, echoed.Code);
        Assert.Contains("bad credentials Bearer [token]", echoed.Message);
        Assert.DoesNotContain(Token, echoed.Message);

        var failing = withToken with { BearerTokenProvider = _ => throw new InvalidOperationException($"could not refresh {Token}") };
        var unavailable = await Assert.ThrowsAsync<MetricSourceException>(() => Source(new AnsweringHandler(HttpStatusCode.OK, ""), failing).ReadAsync(Query, CancellationToken.None));
        Assert.Equal(MetricSourceReasons.Unavailable, unavailable.Code);
        Assert.Equal("CAN-METRIC-UNAVAILABLE: the bearer token provider failed (InvalidOperationException)", unavailable.Message);

        var broken = withToken with { BearerTokenProvider = _ => Task.FromResult<string?>(Token + "\r\nX-Injected: 1") };
        var refused = await Assert.ThrowsAsync<MetricSourceException>(() => Source(new AnsweringHandler(HttpStatusCode.OK, ""), broken).ReadAsync(Query, CancellationToken.None));
        Assert.Equal(MetricSourceReasons.Unavailable, refused.Code);
        Assert.DoesNotContain(Token, refused.Message);
    }

    [Fact]
    public async Task A_metric_with_no_template_is_unknown_pnl_per_trade_among_them()
    {
        var handler = new AnsweringHandler(HttpStatusCode.OK, Matrix(""));
        foreach (var metric in new[] { CanaryMetricNames.PnlPerTrade, "latency" })
        {
            var unknown = await Assert.ThrowsAsync<MetricSourceException>(() => Source(handler).ReadAsync(Query with { Metric = metric }, CancellationToken.None));
            Assert.Equal(MetricSourceReasons.Unknown, unknown.Code);
            Assert.Contains($"'{metric}'", unknown.Message);
        }
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Options_are_checked_when_the_source_is_made()
    {
        var endpoint = new Uri("http://prometheus.test/");
        void Refused(PrometheusMetricSourceOptions options, string message)
            => Assert.Contains(message, Assert.ThrowsAny<ArgumentException>(() => Source(new AnsweringHandler(HttpStatusCode.OK, ""), options)).Message);

        Refused(new() { Endpoint = endpoint, Templates = new Dictionary<string, string> { [CanaryMetricNames.RejectRate] = "sum(rate(tollgate_execution_orders_total[1m]))" } },
            "does not name $cohort");
        Refused(new() { Endpoint = endpoint, Templates = new Dictionary<string, string> { ["reject-rate"] = "sum(x{$cohort})" } }, "'reject-rate': not a canary metric");
        Refused(new() { Endpoint = endpoint, Step = TimeSpan.Zero }, "Step");
        Refused(new() { Endpoint = endpoint, RateWindow = TimeSpan.FromTicks(15_000) }, "RateWindow");
        Refused(new() { Endpoint = new Uri("ftp://prometheus.test/") }, "absolute http(s)");
        Refused(new() { Endpoint = new Uri("http://prometheus.test/?x=1") }, "no query");
    }

    [Fact]
    public async Task A_window_shorter_than_the_rate_window_is_refused_before_anything_is_asked()
    {
        var handler = new AnsweringHandler(HttpStatusCode.OK, Matrix(""));
        var failure = await Assert.ThrowsAnyAsync<ArgumentException>(() => Source(handler).ReadAsync(Query with { To = From.AddSeconds(30) }, CancellationToken.None));
        Assert.Contains("shorter than the rate window", failure.Message);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Source(handler).ReadAsync(Query with { To = From }, CancellationToken.None));
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("rules-abc", "\"rules-abc\"")]
    [InlineData("a\"}b", "\"a\\\"}b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("line\nbreak\r\ttab\u0001", "\"line\\nbreak\\r\\ttab\\u0001\"")]
    [InlineData("日本", "\"日本\"")]
    public void Label_values_are_written_as_PromQL_strings(string value, string quoted)
        => Assert.Equal(quoted, PrometheusTemplates.QuoteLabelValue(value));

    [Fact]
    public void Rendering_replaces_both_placeholders_in_one_pass()
    {
        var rendered = PrometheusTemplates.Render("sum(rate(x{a=\"b\",$cohort}[$window])) / $window", "Paper", "r-$window-$cohort", TimeSpan.FromMilliseconds(1500));
        Assert.Equal("sum(rate(x{a=\"b\",environment=\"Paper\",config_rev=\"r-$window-$cohort\"}[1500ms])) / 1500ms", rendered);
        Assert.Equal("120s", PrometheusTemplates.Duration(TimeSpan.FromMinutes(2)));
    }

    private static PrometheusMetricSource Source(AnsweringHandler handler, PrometheusMetricSourceOptions? options = null)
        => new(new HttpClient(handler), options ?? new PrometheusMetricSourceOptions { Endpoint = new Uri("http://prometheus.test/") });

    private static string Matrix(string points) => """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[""" + points + "]}]}}";

    /// <summary>Records each request and answers <paramref name="status"/> with <paramref name="body"/>, after <paramref name="delay"/> if given.</summary>
    private sealed class AnsweringHandler(HttpStatusCode status, string body, TimeSpan? delay = null) : HttpMessageHandler
    {
        public List<(HttpMethod Method, Uri Uri, string? Authorization)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
            if (delay is { } wait) await Task.Delay(wait, cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
