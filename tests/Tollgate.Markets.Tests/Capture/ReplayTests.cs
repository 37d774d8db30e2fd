using System.Text.Json;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Tests.Support;

namespace Tollgate.Markets.Tests.Capture;

public sealed class ReplayTests
{
    /// <summary>Feature events as JSON lines, as the replay command writes them.</summary>
    private sealed class JsonLines : IFeatureSink, IDisposable
    {
        private readonly MemoryStream buffer = new();
        private readonly Utf8JsonWriter json;
        public JsonLines() => json = new Utf8JsonWriter(buffer);
        public int Count { get; private set; }

        public void OnFeatures(in FeatureEvent features)
        {
            FeatureEventJson.Write(json, features);
            json.Flush();
            json.Reset();
            buffer.WriteByte((byte)'\n');
            Count++;
        }

        public byte[] Bytes() => buffer.ToArray();
        public void Dispose() => json.Dispose();
    }

    private static async Task<(byte[] Json, int Events, IngestResult Result)> Replay(byte[] capture)
    {
        using var reader = new CaptureReader(new MemoryStream(capture));
        using var sink = new JsonLines();
        var table = reader.Header.Instruments;
        var handler = new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), new FeatureConfig(barSeconds: 60, atrPeriod: 3, volatilityBars: 3), sink);
        var result = await new CaptureReplay(handler, TimeProvider.System).RunAsync(reader.Frames(), ReplaySpeed.Max, null, CancellationToken.None);
        return (sink.Bytes(), sink.Count, result);
    }

    [Fact]
    public async Task Replaying_a_capture_twice_through_fresh_handlers_gives_byte_identical_feature_events()
    {
        var (capture, written) = await CaptureRoundTripTests.WriteCapture();
        var first = await Replay(capture);
        var second = await Replay(capture);
        Assert.True(first.Events > 100, $"only {first.Events} feature events");
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(written.Count, first.Result.Frames);
        Assert.Equal(first.Result, second.Result);
        Assert.True(first.Result.Dropped > 0); // the odd bodies are in the capture and are dropped the same way each time
        var lines = System.Text.Encoding.UTF8.GetString(first.Json).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("{\"instrument\":", l));
        Assert.Contains(lines, l => !l.Contains("\"atr\":null") && !l.Contains("\"realized_vol\":null"));
    }

    [Fact]
    public async Task Replay_feeds_the_same_features_as_live_ingest_of_the_same_frames()
    {
        var (capture, written) = await CaptureRoundTripTests.WriteCapture();
        using var live = new JsonLines();
        var handler = new MarketIngestHandler(TestInstruments.Table, () => new BinanceFrameDecoder(TestInstruments.Table), new FeatureConfig(barSeconds: 60, atrPeriod: 3, volatilityBars: 3), live);
        foreach (var (partition, frame) in written) handler.Handle(new IngestBatch(partition, [frame]));
        Assert.Equal(live.Bytes(), (await Replay(capture)).Json);
    }

    [Theory]
    [InlineData("1x", 1.0)]
    [InlineData("10x", 10.0)]
    [InlineData("0.5x", 0.5)]
    [InlineData("2X", 2.0)]
    public void Speeds_parse(string text, double factor)
    {
        Assert.True(ReplaySpeed.TryParse(text, out var speed));
        Assert.Equal(factor, speed.Factor);
        Assert.False(speed.IsMax);
    }

    [Theory]
    [InlineData("max")]
    [InlineData("MAX")]
    public void Max_parses(string text)
    {
        Assert.True(ReplaySpeed.TryParse(text, out var speed));
        Assert.True(speed.IsMax);
        Assert.Equal("max", speed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("1")]
    [InlineData("0x")]
    [InlineData("-1x")]
    [InlineData("fastx")]
    [InlineData("NaNx")]
    [InlineData("Infinityx")]
    [InlineData("1e400x")]
    [InlineData("1xx")]
    [InlineData("maximum")]
    public void Bad_speeds_are_refused(string? text) => Assert.False(ReplaySpeed.TryParse(text, out _));

    [Fact]
    public void Speeds_print_as_they_parse() => Assert.Equal("10x", new ReplaySpeed(10).ToString());
}
