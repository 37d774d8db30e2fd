using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Identity;
using Tollgate.Host.Release;
using Tollgate.Host.Tests.Execution;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Process;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Capture;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// <c>POST /api/config-bundles</c> on a Paper host: the sample bundles linted against the host's instruments, then
/// simulated against the active rules on a slice of the market the host itself recorded (seed 002 D: the good bundle
/// is ACCEPTED, the wide-spread one REJECTED); every bad request refused with its code.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class ConfigBundleApiTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tollgate-config-bundles").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static JsonNode Sample(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Processes.RepoRoot(), "samples", "bundles", name)))!;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> CheckAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/config-bundles", body);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        return (response.StatusCode, json.RootElement.Clone());
    }

    [Fact]
    public async Task The_good_bundle_is_accepted_and_the_wide_spread_one_rejected_on_the_host_s_own_capture()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 8201);
        var captures = Path.Combine(folder, "captures");
        using var host = new HostFactory().Paper(exchange).With("Tollgate:Markets:CaptureFolder", captures);
        var operatorHttp = host.As(ExecutionHost.Operator, Role.Operator);
        var traderHttp = host.As(ExecutionHost.Trader, Role.Trader);
        var pipeline = host.As(ReleaseHost.Pipeline, Role.Pipeline);
        await operatorHttp.WaitForRoutingAsync();
        await ExecutionHost.TradeOnPaperAsync(operatorHttp, traderHttp, File.ReadAllText(ExecutionHost.SampleRulesPath), "active");
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(6));
        var slice = Path.Combine(folder, "slice.jsonl.gz");
        await using (var file = File.Create(slice))
            await CaptureSlice.WriteAsync(Directory.GetFiles(captures).Single(), from, DateTimeOffset.UtcNow, file, CancellationToken.None);
        var capture = (await (await operatorHttp.PutAsync("/api/objects", new ByteArrayContent(await File.ReadAllBytesAsync(slice)))).ReadOkAsync("object put")).GetProperty("digest").GetString();

        var (lintStatus, lint) = await CheckAsync(pipeline, new { bundle = Sample("good.json"), mode = "lint" });
        Assert.True(lintStatus == HttpStatusCode.OK, lint.ToString());
        Assert.Matches("^rules-[0-9a-f]{16}$", lint.GetProperty("lint").GetProperty("rules_rev").GetString());

        var (goodStatus, good) = await CheckAsync(pipeline, new { bundle = Sample("good.json"), mode = "simulate", capture });
        output.WriteLine(good.ToString());
        Assert.True(goodStatus == HttpStatusCode.OK, good.ToString());
        Assert.Equal("ACCEPTED", good.GetProperty("verdict").GetString());

        var (wideStatus, wide) = await CheckAsync(pipeline, new { bundle = Sample("wide-spread.json"), mode = "simulate", capture });
        output.WriteLine(wide.ToString());
        Assert.True(wideStatus == HttpStatusCode.OK, wide.ToString());
        Assert.Equal("REJECTED", wide.GetProperty("verdict").GetString());
        Assert.NotEmpty(wide.GetProperty("reason_codes").EnumerateArray());

        var (dryStatus, dry) = await CheckAsync(pipeline, new { bundle = Sample("good.json"), mode = "dry-run", capture });
        Assert.True(dryStatus == HttpStatusCode.OK, dry.ToString());
        Assert.True(dry.TryGetProperty("dry_run", out _), dry.ToString());
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_their_codes()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 8202);
        using var host = new HostFactory().PointedAt(exchange);
        var pipeline = host.As(ReleaseHost.Pipeline, Role.Pipeline);
        await pipeline.WaitForAllSyncedAsync();

        var unknownField = Sample("good.json");
        unknownField["colour"] = "blue";
        var outOfBounds = Sample("good.json");
        outOfBounds["factors"]!["size_mult"]!["value"] = "9";
        var cases = new (object Body, string Code)[]
        {
            (new { mode = "lint" }, "BUNDLE-SCHEMA"),
            (new { bundle = Sample("good.json"), mode = "lint", extra = 1 }, "BUNDLE-UNKNOWN-FIELD"),
            (new { bundle = Sample("good.json"), mode = "promote" }, ConfigBundleApi.ModeInvalid),
            (new { bundle = unknownField, mode = "lint" }, "BUNDLE-UNKNOWN-FIELD"),
            (new { bundle = outOfBounds, mode = "lint" }, "BUNDLE-BOUNDS"),
            (new { bundle = Sample("good.json"), mode = "simulate" }, ConfigBundleApi.CaptureMissing),
            (new { bundle = Sample("good.json"), mode = "dry-run", capture = "sha256:" + new string('0', 64) }, ConfigBundleApi.CaptureMissing),
        };
        foreach (var (body, code) in cases)
        {
            var (status, answer) = await CheckAsync(pipeline, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{code}: {(int)status} {answer}");
            Assert.Equal(code, answer.GetProperty("reason").GetString());
        }
    }
}
