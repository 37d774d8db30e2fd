using Tollgate.Markets.Events;

namespace Tollgate.Markets.Ingest;

/// <summary>
/// Why a frame was not turned into an event. A frame with a fault is counted under its code and dropped; it never
/// reaches a book. <see cref="None"/> is a frame decoded into one event; <see cref="Control"/> one that carries no
/// market data (a subscription acknowledgement) and is skipped without counting as a failure.
/// </summary>
public enum FrameFault : byte
{
    None,
    Control,
    /// <summary>MKT-FRAME-MALFORMED: not valid JSON (truncated, cut mid-token).</summary>
    Malformed,
    /// <summary>MKT-FRAME-SCHEMA: a field missing, of the wrong JSON type, or naming another symbol than its stream.</summary>
    Schema,
    /// <summary>MKT-FRAME-UNKNOWN-STREAM: a stream or event type Tollgate does not ingest.</summary>
    UnknownStream,
    /// <summary>MKT-FRAME-UNKNOWN-SYMBOL: an instrument outside the configured universe.</summary>
    UnknownSymbol,
    /// <summary>MKT-FRAME-NUMBER: a number that is not a plain decimal (NaN, Infinity, exponent, empty) or does not fit.</summary>
    Number,
    /// <summary>MKT-FRAME-VALUE: a value out of its domain (price not above 0, negative quantity, update ids out of order).</summary>
    Value,
    /// <summary>MKT-FRAME-TOO-LARGE: more bytes or levels than a Binance frame ever has.</summary>
    TooLarge,
    /// <summary>MKT-FRAME-EXCHANGE-ERROR: the exchange sent an error payload instead of data.</summary>
    ExchangeError,
    /// <summary>MKT-FRAME-HEADER: the stream event's properties do not say which market, kind or receive time it has.</summary>
    Header,
}

public static class FrameFaults
{
    public static readonly FrameFault[] Failures = [.. Enum.GetValues<FrameFault>().Where(f => f > FrameFault.Control)];

    public static string Code(this FrameFault fault) => fault switch
    {
        FrameFault.None => "OK",
        FrameFault.Control => "CONTROL",
        FrameFault.Malformed => "MKT-FRAME-MALFORMED",
        FrameFault.Schema => "MKT-FRAME-SCHEMA",
        FrameFault.UnknownStream => "MKT-FRAME-UNKNOWN-STREAM",
        FrameFault.UnknownSymbol => "MKT-FRAME-UNKNOWN-SYMBOL",
        FrameFault.Number => "MKT-FRAME-NUMBER",
        FrameFault.Value => "MKT-FRAME-VALUE",
        FrameFault.TooLarge => "MKT-FRAME-TOO-LARGE",
        FrameFault.ExchangeError => "MKT-FRAME-EXCHANGE-ERROR",
        FrameFault.Header => "MKT-FRAME-HEADER",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };
}

/// <summary>Turns the bytes of one frame into at most one normalized event. One instance per ingest partition: it reuses its buffers.</summary>
public interface IFrameDecoder
{
    FrameFault Decode(in FrameHeader header, ReadOnlySpan<byte> body, IMarketEventSink sink);
}
