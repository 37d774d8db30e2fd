using System.Text;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Capture;

public sealed class CaptureRoundTripTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);

    public static readonly string[] OddBodies =
    [
        "not json at all",
        "{\"stream\":\"btcusdt@bookTicker\",\n\"data\":{}}", // two lines
        "{\"stream\":\"btcusdt@bookTicker\",\"data\":", // cut
        "",
        "{\"a\":1} ", // trailing space
        " {\"a\":1}", // leading space
        "\t[1,2]\t",
        "{\"a\":1}{\"b\":2}",
        "\u00e9\u20ac \0 \u0001",
        "123",
        "\"a string\"",
    ];

    /// <summary>Frames of both markets and kinds, with <see cref="OddBodies"/> among them, written over three flushes.</summary>
    internal static async Task<(byte[] Capture, List<(string Partition, IngestFrame Frame)> Written)> WriteCapture(int flushes = 3)
    {
        var written = new List<(string, IngestFrame)>();
        var bodies = new List<(string Partition, MarketKind Market, FrameKind Kind, string? Symbol, string Body)>
        {
            (SpotBtcUsdt.Key, MarketKind.Spot, FrameKind.Stream, null, DepthUpdate(SpotBtcUsdt, 99, 101, null, L((100m, 1m)), L((101m, 1m)))),
            (SpotBtcUsdt.Key, MarketKind.Spot, FrameKind.DepthSnapshot, "BTCUSDT", Snapshot(100, L((100m, 2m), (99.5m, 1m)), L((101m, 2m)))),
            (FutBtcUsdt.Key, MarketKind.Futures, FrameKind.Stream, null, DepthUpdate(FutBtcUsdt, 99, 101, 98, L((100m, 1m)), L((101m, 1m)))),
            (FutBtcUsdt.Key, MarketKind.Futures, FrameKind.DepthSnapshot, "BTCUSDT", Snapshot(100, L((100m, 2m)), L((101m, 2m)), futures: true)),
        };
        var id = 101L;
        for (var i = 0; i < 60; i++)
        {
            var t = DefaultTime.AddSeconds(i * 5);
            bodies.Add((SpotBtcUsdt.Key, MarketKind.Spot, FrameKind.Stream, null, DepthUpdate(SpotBtcUsdt, id + 1, id + 1, null, L((100m - i % 4 * 0.5m, 1m + i)), None, t)));
            bodies.Add((FutBtcUsdt.Key, MarketKind.Futures, FrameKind.Stream, null, DepthUpdate(FutBtcUsdt, id + 1, id + 1, id, None, L((101m + i % 3, 2m + i)), t)));
            bodies.Add((SpotBtcUsdt.Key, MarketKind.Spot, FrameKind.Stream, null, AggTrade(SpotBtcUsdt, i, 100m + i % 9 * 0.25m, 0.5m, i, i, t)));
            bodies.Add((FutBtcUsdt.Key, MarketKind.Futures, FrameKind.Stream, null, BookTicker(FutBtcUsdt, id + 1, 100m, 1m, 101m + i % 2, 1m, t)));
            if (i % 6 == 0) bodies.Add((SpotBtcUsdt.Key, MarketKind.Spot, FrameKind.Stream, null, OddBodies[i / 6 % OddBodies.Length]));
            id++;
        }
        foreach (var odd in OddBodies) bodies.Add((SpotEthUsdt.Key, MarketKind.Spot, FrameKind.Stream, null, odd));

        var target = new MemoryStream();
        var header = new CaptureHeader("test capture", Started, Table);
        var sequence = new Dictionary<string, long>();
        await using (var writer = new CaptureWriter(target, header))
        {
            for (var i = 0; i < bodies.Count; i++)
            {
                var b = bodies[i];
                var seq = sequence.GetValueOrDefault(b.Partition);
                sequence[b.Partition] = seq + 1;
                var at = Started.AddTicks(i * 1_234_567);
                var frame = new IngestFrame(seq, at, new FrameHeader(b.Market, b.Kind, b.Symbol, at), Encoding.UTF8.GetBytes(b.Body));
                await writer.WriteAsync(b.Partition, frame, CancellationToken.None);
                written.Add((b.Partition, frame));
                if ((i + 1) % (bodies.Count / flushes + 1) == 0) await writer.FlushAsync(CancellationToken.None);
            }
            Assert.Equal(bodies.Count, writer.Frames);
        }
        return (target.ToArray(), written);
    }

    internal static List<CapturedFrame> ReadAll(byte[] capture, out CaptureHeader header)
    {
        using var reader = new CaptureReader(new MemoryStream(capture));
        header = reader.Header;
        return [.. reader.Frames()];
    }

    private static int GzipMembers(byte[] capture)
    {
        var n = 0;
        for (var i = 0; i + 3 < capture.Length; i++)
            if (capture[i] == 0x1f && capture[i + 1] == 0x8b && capture[i + 2] == 8 && (i == 0 || n > 0)) n++;
        return n;
    }

    [Fact]
    public async Task Frames_read_back_byte_identical_with_their_partition_sequence_time_and_header()
    {
        var (capture, written) = await WriteCapture();
        var read = ReadAll(capture, out _);
        Assert.Equal(written.Count, read.Count);
        for (var i = 0; i < written.Count; i++)
        {
            var (partition, frame) = written[i];
            var body = Encoding.UTF8.GetString(frame.Body.Span);
            Assert.True(frame.Body.Span.SequenceEqual(read[i].Frame.Body.Span), $"frame {i} body differs: wrote '{body}', read '{Encoding.UTF8.GetString(read[i].Frame.Body.Span)}'");
            Assert.Equal(partition, read[i].Partition);
            Assert.Equal(frame.SequenceNumber, read[i].Frame.SequenceNumber);
            Assert.Equal(frame.Header, read[i].Frame.Header);
            Assert.Equal(TimeSpan.Zero, read[i].Frame.Header.ReceivedAt.Offset);
        }
    }

    [Theory]
    [MemberData(nameof(OddBodyRows))]
    public async Task An_odd_body_reads_back_byte_identical(int index)
    {
        var body = Encoding.UTF8.GetBytes(OddBodies[index]);
        var target = new MemoryStream();
        await using (var writer = new CaptureWriter(target, new CaptureHeader("odd", Started, Table)))
            await writer.WriteAsync("p", new IngestFrame(0, Started, new FrameHeader(MarketKind.Spot, FrameKind.Stream, null, Started), body), CancellationToken.None);
        var frame = Assert.Single(ReadAll(target.ToArray(), out _));
        Assert.Equal(body, frame.Frame.Body.ToArray());
    }

    public static TheoryData<int> OddBodyRows() => [.. Enumerable.Range(0, OddBodies.Length)];

    [Fact]
    public async Task A_body_that_is_not_one_line_of_json_is_stored_as_base64()
    {
        var target = new MemoryStream();
        await using (var writer = new CaptureWriter(target, new CaptureHeader("odd", Started, Table)))
        {
            await writer.WriteAsync("p", new IngestFrame(0, Started, new FrameHeader(MarketKind.Spot, FrameKind.Stream, null, Started), Encoding.UTF8.GetBytes("not json")), CancellationToken.None);
            await writer.WriteAsync("p", new IngestFrame(1, Started, new FrameHeader(MarketKind.Spot, FrameKind.Stream, null, Started), Encoding.UTF8.GetBytes("{\"a\":1}")), CancellationToken.None);
        }
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(target.ToArray()), System.IO.Compression.CompressionMode.Decompress);
        var lines = new StreamReader(gzip).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains($"\"frame_b64\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("not json"))}\"", lines[1]);
        Assert.EndsWith(",\"frame\":{\"a\":1}}", lines[2]);
    }

    [Fact]
    public async Task Each_flush_is_one_gzip_member()
    {
        var (capture, _) = await WriteCapture(flushes: 3);
        Assert.InRange(GzipMembers(capture), 3, 4); // three flushes, and the rest on dispose when any is left
        var (single, written) = await WriteCapture(flushes: 1);
        Assert.Equal(written.Count, ReadAll(single, out _).Count);
    }

    [Fact]
    public async Task The_header_round_trips_the_instrument_universe()
    {
        var (capture, _) = await WriteCapture();
        ReadAll(capture, out var header);
        Assert.Equal("test capture", header.Source);
        Assert.Equal(Started, header.StartedAt);
        Assert.Equal(Table.All.Select(i => i.Key), header.Instruments.All.Select(i => i.Key));
        foreach (var i in Table.All)
        {
            var r = header.Instruments.Find(i.Key)!;
            Assert.Equal((i.Market, i.Symbol, i.TickSize, i.StepSize, i.MinNotional), (r.Market, r.Symbol, r.TickSize, r.StepSize, r.MinNotional));
        }
    }

    [Fact]
    public async Task A_capture_cut_mid_member_fails_with_a_capture_error_and_only_after_the_frames_before_the_cut()
    {
        var (capture, written) = await WriteCapture();
        var boundaries = Enumerable.Range(0, capture.Length).Where(i => i + 2 < capture.Length && capture[i] == 0x1f && capture[i + 1] == 0x8b && capture[i + 2] == 8).ToList();
        Assert.True(boundaries.Count >= 3);
        var step = Math.Max(1, capture.Length / 150);
        for (var cut = 1; cut < capture.Length; cut += step)
        {
            if (boundaries.Contains(cut)) continue; // a cut between members is a shorter, valid capture
            var read = new List<CapturedFrame>();
            var thrown = Record.Exception(() =>
            {
                using var reader = new CaptureReader(new MemoryStream(capture[..cut]));
                foreach (var f in reader.Frames()) read.Add(f);
            });
            var e = Assert.IsType<CaptureFormatException>(thrown);
            Assert.StartsWith("MKT-CAPTURE-", e.Code);
            Assert.True(read.Count < written.Count, $"cut at {cut} of {capture.Length} read every frame");
            for (var i = 0; i < read.Count; i++) Assert.True(written[i].Frame.Body.Span.SequenceEqual(read[i].Frame.Body.Span));
        }
    }

    [Fact]
    public async Task A_capture_cut_between_members_reads_up_to_the_last_complete_flush()
    {
        var (capture, written) = await WriteCapture();
        var second = Enumerable.Range(1, capture.Length - 3).First(i => capture[i] == 0x1f && capture[i + 1] == 0x8b && capture[i + 2] == 8);
        var read = ReadAll(capture[..second], out _);
        Assert.InRange(read.Count, 1, written.Count - 1);
        for (var i = 0; i < read.Count; i++) Assert.True(written[i].Frame.Body.Span.SequenceEqual(read[i].Frame.Body.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not gzip")]
    public void A_stream_that_is_not_a_capture_is_refused_with_a_code(string content)
    {
        var e = Assert.Throws<CaptureFormatException>(() => new CaptureReader(new MemoryStream(Encoding.UTF8.GetBytes(content))));
        Assert.StartsWith("MKT-CAPTURE-", e.Code);
    }

    [Fact]
    public void A_missing_file_is_refused_with_a_code()
        => Assert.Equal("MKT-CAPTURE-NOT-FOUND", Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".jsonl.gz"))).Code);

    [Theory]
    [InlineData("{\"capture\":2,\"source\":\"x\",\"started\":\"2026-12-03T18:00:00Z\",\"instruments\":[]}", "MKT-CAPTURE-VERSION")]
    [InlineData("{\"source\":\"x\"}", "MKT-CAPTURE-HEADER")]
    [InlineData("{\"capture\":1,\"source\":\"x\",\"started\":\"2026-12-03T18:00:00Z\",\"instruments\":[{\"market\":\"MOON\",\"symbol\":\"X\",\"tick\":\"1\",\"step\":\"1\",\"min_notional\":\"1\"}]}", "MKT-CAPTURE-HEADER")]
    [InlineData("{\"capture\":1,\"source\":\"x\",\"started\":\"yesterday\",\"instruments\":[]}", "MKT-CAPTURE-HEADER")]
    [InlineData("[1,2", "MKT-CAPTURE-HEADER")]
    public void A_bad_header_is_refused_with_its_code(string line, string code)
    {
        var gz = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(line + "\n"));
        Assert.Equal(code, Assert.Throws<CaptureFormatException>(() => new CaptureReader(new MemoryStream(gz.ToArray()))).Code);
    }

    [Theory]
    [InlineData("{\"p\":\"x\",\"seq\":\"1\",\"recv\":\"2026-12-03T18:00:00Z\",\"market\":\"SPOT\",\"kind\":\"stream\",\"frame\":{}}")]
    [InlineData("{\"p\":\"x\",\"seq\":1,\"recv\":\"2026-12-03T18:00:00Z\",\"market\":\"SPOT\",\"kind\":\"stream\"}")]
    [InlineData("{\"p\":\"x\",\"seq\":1,\"recv\":\"2026-12-03T18:00:00Z\",\"market\":\"SPOT\",\"kind\":\"tape\",\"frame\":{}}")]
    [InlineData("{\"p\":\"x\",\"seq\":1,\"recv\":\"2026-12-03T18:00:00Z\",\"market\":\"SPOT\",\"kind\":\"stream\",\"frame_b64\":\"!!\"}")]
    [InlineData("{\"p\":\"x\",\"seq\":1,\"recv\":\"2026-12-03T18:00:00Z\",\"market\":\"SPOT\",\"kind\":\"stream\",\"frame\":{}")]
    [InlineData("garbage")]
    public void A_bad_frame_line_is_refused_with_its_code(string line)
    {
        var gz = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes("{\"capture\":1,\"source\":\"x\",\"started\":\"2026-12-03T18:00:00Z\",\"instruments\":[]}\n" + line + "\n"));
        using var reader = new CaptureReader(new MemoryStream(gz.ToArray()));
        Assert.Equal("MKT-CAPTURE-FRAME", Assert.Throws<CaptureFormatException>(() => reader.Frames().ToList()).Code);
    }
}
