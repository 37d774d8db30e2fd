extern alias fake;

using System.Text.Json;
using System.Text.RegularExpressions;
using fake::Tollgate.FakeExchange;
using Tollgate.Cli;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Host.Tests.Markets;

/// <summary>
/// A capture the real host wrote: the host ran against the fake exchange with a capture folder, in sync on all three
/// instruments, through a scripted gap, and was stopped (so the capture is flushed). The exchange stays up for its truth.
/// </summary>
public sealed class MarketCaptureFixture : IAsyncLifetime
{
    public FakeExchange Exchange { get; private set; } = null!;
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "tollgate-replay-cli-tests", Guid.NewGuid().ToString("N"));
    public string Capture { get; private set; } = null!;

    /// <summary>The host's last <c>/api/market/books</c> answer per instrument before it stopped.</summary>
    public Dictionary<string, JsonElement> LastBooks { get; } = new();

    public async Task InitializeAsync()
    {
        Exchange = await MarketHost.StartExchangeAsync(seed: 13);
        await using var host = new HostFactory().PointedAt(Exchange).With("Tollgate:Markets:CaptureFolder", Folder);
        var http = host.Http();
        await http.WaitForAllSyncedAsync();
        Exchange.DropNextDepthEvents(FakeMarket.Futures, "BTCUSDT", 1);
        await MarketHost.WaitForAsync(http.SummaryAsync,
            s => s.Instrument("FUT:BTCUSDT").GetProperty("quality").GetProperty("resyncs").GetInt64() >= 1 && s.AllSynced(), "FUT:BTCUSDT resynced");
        var summary = await http.SummaryAsync();
        Capture = summary.GetProperty("capturePath").GetString()!;
        foreach (var (market, symbol) in new[] { ("SPOT", "BTCUSDT"), ("SPOT", "ETHUSDT"), ("FUT", "BTCUSDT") })
            LastBooks[$"{market}:{symbol}"] = await http.WaitForSyncedBookAsync(market, symbol);
    }

    public async Task DisposeAsync()
    {
        await Exchange.DisposeAsync();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>
/// What the host captured replays, through the library and through <c>tollgate market replay|slice</c>, to the
/// exchange's truth, deterministically; and the CLI refuses what it cannot read with exit 2 and the reason code.
/// </summary>
public sealed class MarketReplayCliTests(MarketCaptureFixture fixture) : IClassFixture<MarketCaptureFixture>
{
    private sealed record Run(int ExitCode, string Out, string Error);

    private static async Task<Run> TollgateAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await TollgateCli.RunAsync(args, new CliContext(output, error, endpoint => new HttpClient { BaseAddress = endpoint }));
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private static async Task<(MarketIngestHandler Handler, FeatureEventLog Log, IngestResult Result)> ReplayAsync(string capture)
    {
        using var reader = CaptureReader.Open(capture);
        var log = new FeatureEventLog(null);
        var table = reader.Header.Instruments;
        var handler = new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, log);
        var result = await new CaptureReplay(handler, TimeProvider.System).RunAsync(reader.Frames(), ReplaySpeed.Max, null, CancellationToken.None);
        return (handler, log, result);
    }

    private static FakeMarket Fake(MarketKind market) => market == MarketKind.Spot ? FakeMarket.Spot : FakeMarket.Futures;

    private static JsonElement Levels(Tollgate.Markets.Books.BookSide side, int depth)
        => JsonSerializer.SerializeToElement(Enumerable.Range(0, Math.Min(depth, side.Count)).Select(i => new[] { side[i].Price, side[i].Quantity }));

    [Fact]
    public async Task The_replayed_books_end_at_or_after_the_hosts_last_answer_and_equal_the_truth_at_their_update_id()
    {
        var (handler, log, result) = await ReplayAsync(fixture.Capture);
        Assert.Equal(0, result.Dropped);
        Assert.True(log.Count > 0);
        Assert.Equal(["FUT:BTCUSDT", "SPOT:BTCUSDT", "SPOT:ETHUSDT"], handler.Pipelines.Select(p => p.Instrument.Key));
        foreach (var pipeline in handler.Pipelines)
        {
            var key = pipeline.Instrument.Key;
            Assert.True(pipeline.Book.IsSynced, $"{key} is not in sync at the end of the replay");
            // The capture holds every frame the host had ingested when it answered, and maybe a few after.
            var hostLast = fixture.LastBooks[key].GetProperty("lastUpdateId").GetInt64();
            Assert.True(pipeline.Book.LastUpdateId >= hostLast, $"{key}: replay ends at {pipeline.Book.LastUpdateId}, the host had served {hostLast}");
            var truth = fixture.Exchange.Simulator(Fake(pipeline.Instrument.Market), pipeline.Instrument.Symbol).BookAt(pipeline.Book.LastUpdateId);
            MarketHost.AssertSide(truth.Bids, Levels(pipeline.Book.Bids, 1000), $"{key} bids at {pipeline.Book.LastUpdateId}", 1000);
            MarketHost.AssertSide(truth.Asks, Levels(pipeline.Book.Asks, 1000), $"{key} asks at {pipeline.Book.LastUpdateId}", 1000);
        }
        // The scripted futures gap is in the capture, and the replay sees it and resyncs from the captured snapshot.
        var futures = handler.Pipelines.Single(p => p.Instrument.Key == "FUT:BTCUSDT").Quality;
        Assert.True(futures.Gaps >= 1 && futures.Resyncs >= 1, $"FUT:BTCUSDT: {futures.Gaps} gap(s), {futures.Resyncs} resync(s)");
    }

    [Fact]
    public async Task The_CLI_replay_prints_every_book_in_sync_and_the_same_feature_digest_as_the_library_twice()
    {
        var library = await ReplayAsync(fixture.Capture);
        var featuresOut = Path.Combine(fixture.Folder, $"features-{Guid.NewGuid():N}.jsonl");
        var first = await TollgateAsync("market", "replay", fixture.Capture, "--features-out", featuresOut);
        var second = await TollgateAsync("market", "replay", fixture.Capture, "--speed", "max", "--depth", "3");
        foreach (var run in new[] { first, second })
        {
            Assert.True(run.ExitCode == 0, run.Out + run.Error);
            foreach (var pipeline in library.Handler.Pipelines)
                Assert.Contains($"{pipeline.Instrument.Key}: book in sync at update {pipeline.Book.LastUpdateId}", run.Out);
            Assert.Contains($"features: {library.Log.Count} FeatureEvents, {library.Log.Sha256()}", run.Out);
        }
        Assert.Equal(library.Log.Count, File.ReadLines(featuresOut).Count());
    }

    [Fact]
    public async Task A_slice_of_the_second_half_replays_alone_to_the_same_final_books()
    {
        var full = await ReplayAsync(fixture.Capture);
        DateTimeOffset first = DateTimeOffset.MaxValue, last = DateTimeOffset.MinValue;
        using (var reader = CaptureReader.Open(fixture.Capture))
            foreach (var (_, frame) in reader.Frames())
            {
                if (frame.Header.ReceivedAt < first) first = frame.Header.ReceivedAt;
                if (frame.Header.ReceivedAt > last) last = frame.Header.ReceivedAt;
            }
        var from = first + (last - first) / 2;
        var slice = Path.Combine(fixture.Folder, $"slice-{Guid.NewGuid():N}.jsonl.gz");
        var cut = await TollgateAsync("market", "slice", fixture.Capture, "--from", from.ToString("O"), "--to", last.AddSeconds(1).ToString("O"), "--out", slice);
        Assert.True(cut.ExitCode == 0, cut.Out + cut.Error);
        Assert.Matches(new Regex("wrote [1-9][0-9]* frame"), cut.Out);

        var sliced = await ReplayAsync(slice);
        foreach (var pipeline in full.Handler.Pipelines)
        {
            var again = sliced.Handler.Pipelines.Single(p => p.Instrument.Key == pipeline.Instrument.Key);
            Assert.True(again.Book.IsSynced, $"{pipeline.Instrument.Key} is not in sync at the end of the slice");
            Assert.Equal(pipeline.Book.LastUpdateId, again.Book.LastUpdateId);
            Assert.Equal(Levels(pipeline.Book.Bids, 1000).ToString(), Levels(again.Book.Bids, 1000).ToString());
            Assert.Equal(Levels(pipeline.Book.Asks, 1000).ToString(), Levels(again.Book.Asks, 1000).ToString());
        }
    }

    [Fact]
    public async Task Replaying_a_missing_file_is_exit_2_MKT_CAPTURE_NOT_FOUND()
    {
        var run = await TollgateAsync("market", "replay", Path.Combine(fixture.Folder, "no-such-capture.jsonl.gz"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MKT-CAPTURE-NOT-FOUND", run.Error);
    }

    [Fact]
    public async Task Replaying_a_file_that_is_not_gzip_is_exit_2_MKT_CAPTURE_GZIP()
    {
        var path = Path.Combine(fixture.Folder, "plain.jsonl.gz");
        await File.WriteAllTextAsync(path, "{\"capture\":1}\n{\"p\":\"SPOT:BTCUSDT\"}\n");
        var run = await TollgateAsync("market", "replay", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MKT-CAPTURE-GZIP", run.Error);
    }

    [Theory]
    [InlineData("--speed", "fast")]
    [InlineData("--speed", "0x")]
    [InlineData("--depth", "0")]
    [InlineData("--depth", "51")]
    public async Task Replay_arguments_out_of_range_are_exit_2_INVALID_ARGUMENTS(string option, string value)
    {
        var run = await TollgateAsync("market", "replay", fixture.Capture, option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("INVALID_ARGUMENTS", run.Error);
        Assert.DoesNotContain("in sync", run.Out);
    }
}
