using Tollgate.Release.Bundles;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>The captures the bundle tests replay, written once per test class into a temp folder that is removed afterwards.</summary>
public sealed class BundleFixture : IAsyncLifetime
{
    /// <summary>Spreads (bps) of the hand-checked tape: 10 quotes, 4 below 10 bps, 8 below 20 (10 itself is not below 10).</summary>
    public static readonly decimal[] HandSpreads = [4, 12, 8, 25, 16, 6, 30, 10, 18, 2];

    /// <summary>Spreads (bps) sitting just either side of 10: a threshold of 10 is knife-edge here, one of 50 is not.</summary>
    public static readonly decimal[] EdgeSpreads = [9.6m, 10.4m, 9.8m, 10.2m, 9.6m, 10.4m, 9.8m, 10.2m, 9.6m, 10.4m];

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "tollgate-bundles-" + Guid.NewGuid().ToString("N"));
    public string HandTape { get; private set; } = "";
    public string EdgeTape { get; private set; } = "";
    public string Market { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        HandTape = await TestCaptures.QuoteTapeAsync(Folder, "hand.capture.gz", HandSpreads);
        EdgeTape = await TestCaptures.QuoteTapeAsync(Folder, "edge.capture.gz", EdgeSpreads);
        Market = await TestCaptures.MarketAsync(Folder, "market.capture.gz", diffsPerInstrument: 1500, seed: 20260302);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    public static SimulationCapture Load(string path) => TestCaptures.Load(path);
}

/// <summary>Bundles and rule sets written for the tests.</summary>
internal static class TestBundles
{
    /// <summary>One spot rule: buy 0.01 when <paramref name="when"/> holds, no cooldown (max_open never binds in a simulation).</summary>
    public static string SpotRules(string when, string side = "BUY", string quantity = "0.01") =>
        $$"""{"name":"spot","rules":[{"id":"spot-rule","market":"SPOT","symbols":["BTCUSDT"],"when":["{{when}}"],"side":"{{side}}","type":"MARKET","quantity":"{{quantity}}","cooldown_seconds":0,"max_open":1}]}""";

    public static string Bundle(string rules, string factors = """{"size_mult":{"value":"1","min":"0.5","max":"2"}}""", string universe = """["SPOT:BTCUSDT","FUT:BTCUSDT"]""") =>
        "{\"bundle\":1,\"universe\":" + universe + ",\"factors\":" + factors + ",\"rules\":" + rules + "}";

    public static string SizeMult(string value, string min = "0.5", string max = "2") => $"{{\"size_mult\":{{\"value\":\"{value}\",\"min\":\"{min}\",\"max\":\"{max}\"}}}}";

    public static string RepoFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) dir = dir.Parent;
        return Path.Combine([dir?.FullName ?? throw new InvalidOperationException("the repository root (Functions.sln) is not above the test binaries"), .. parts]);
    }
}
