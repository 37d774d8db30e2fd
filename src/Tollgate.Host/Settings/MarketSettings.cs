using Microsoft.Extensions.Configuration;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Host.Settings;

/// <summary>
/// The market plane (<c>Tollgate:Markets:*</c>). Off unless <c>Instruments</c> names some, e.g.
/// <c>SPOT:BTCUSDT,SPOT:ETHUSDT,FUT:BTCUSDT</c>. Endpoints default to Binance's production hosts; locally and in
/// tests they point at the fake exchange.
/// </summary>
public sealed record MarketSettings
{
    public IReadOnlyList<(MarketKind Market, string Symbol)> Instruments { get; init; } = [];
    public BinanceEndpoints Endpoints { get; init; } = BinanceEndpoints.Production;

    /// <summary><c>Tollgate:Markets:CaptureFolder</c>: where every ingested frame is captured (gzip JSON lines), one file per host start; unset, nothing is captured.</summary>
    public string? CaptureFolder { get; init; }

    /// <summary><c>Tollgate:Markets:HeartbeatSeconds</c>: the server-time heartbeat; default 30 (seed 002 C).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);

    public bool Enabled => Instruments.Count > 0;

    public static MarketSettings Load(IConfiguration configuration, string dataFolder)
    {
        var instruments = new List<(MarketKind, string)>();
        foreach (var key in (configuration["Tollgate:Markets:Instruments"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = key.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !MarketKinds.TryParse(parts[0], out var market) || parts[1].Length is 0 or > 20 || !parts[1].All(char.IsAsciiLetterOrDigit))
                throw new InvalidOperationException($"Tollgate:Markets:Instruments: '{key}' is not MARKET:SYMBOL (e.g. SPOT:BTCUSDT or FUT:BTCUSDT).");
            if (!instruments.Contains((market, parts[1].ToUpperInvariant()))) instruments.Add((market, parts[1].ToUpperInvariant()));
        }
        var production = BinanceEndpoints.Production;
        var endpoints = new BinanceEndpoints(
            Url(configuration, "SpotRestUrl", production.SpotRest), Url(configuration, "SpotStreamUrl", production.SpotStream),
            Url(configuration, "FuturesRestUrl", production.FuturesRest), Url(configuration, "FuturesStreamUrl", production.FuturesStream));
        var heartbeat = configuration["Tollgate:Markets:HeartbeatSeconds"] is { Length: > 0 } h
            ? int.TryParse(h, out var seconds) && seconds is >= 1 and <= 3600 ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"Tollgate:Markets:HeartbeatSeconds '{h}' must be 1-3600.")
            : TimeSpan.FromSeconds(30);
        var capture = configuration["Tollgate:Markets:CaptureFolder"] is { Length: > 0 } folder ? Path.GetFullPath(folder, dataFolder) : null;
        return new MarketSettings { Instruments = instruments, Endpoints = endpoints, CaptureFolder = capture, Heartbeat = heartbeat };
    }

    private static Uri Url(IConfiguration configuration, string name, Uri fallback)
    {
        if (configuration[$"Tollgate:Markets:{name}"] is not { Length: > 0 } text) return fallback;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "wss" or "http" or "ws"))
            throw new InvalidOperationException($"Tollgate:Markets:{name} '{text}' is not an http(s) or ws(s) URL.");
        if (uri.Scheme is "http" or "ws" && !uri.IsLoopback)
            throw new InvalidOperationException($"Tollgate:Markets:{name} '{text}': plain http/ws only to loopback (the fake exchange); the exchange itself needs https/wss.");
        return uri;
    }
}
