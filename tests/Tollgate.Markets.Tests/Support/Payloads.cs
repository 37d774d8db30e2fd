using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Tests.Support;

/// <summary>The documented payloads under <c>Payloads/</c> (see its SOURCE.md), and a decoder run over bytes.</summary>
public static class Payloads
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 1, 5, 12, 0, 0, 250, TimeSpan.Zero);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    public static (FrameFault Fault, EventRecorder Events) DecodeStream(MarketKind market, byte[] body)
        => Decode(new FrameHeader(market, FrameKind.Stream, null, ReceivedAt), body);

    public static (FrameFault Fault, EventRecorder Events) DecodeStream(MarketKind market, string body)
        => DecodeStream(market, System.Text.Encoding.UTF8.GetBytes(body));

    public static (FrameFault Fault, EventRecorder Events) DecodeSnapshot(MarketKind market, string symbol, byte[] body)
        => Decode(new FrameHeader(market, FrameKind.DepthSnapshot, symbol, ReceivedAt), body);

    public static (FrameFault Fault, EventRecorder Events) Decode(FrameHeader header, byte[] body)
    {
        var events = new EventRecorder();
        var fault = new BinanceFrameDecoder(TestInstruments.Table).Decode(header, body, events);
        return (fault, events);
    }
}
