using System.Text;

namespace Tollgate.Markets.Instruments;

/// <summary>
/// The symbol universe a pipeline serves, looked up by the symbol as it appears in a frame (UTF-8, any case) without
/// allocating. A symbol outside the table is not an error of the exchange: the frame is dropped with a reason.
/// </summary>
public sealed class InstrumentTable
{
    private readonly Dictionary<string, Instrument>[] byMarket =
        [new(StringComparer.OrdinalIgnoreCase), new(StringComparer.OrdinalIgnoreCase)];
    private readonly Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>>[] lookups;

    public InstrumentTable(IEnumerable<Instrument> instruments)
    {
        foreach (var instrument in instruments)
            if (!byMarket[(int)instrument.Market].TryAdd(instrument.Symbol, instrument))
                throw new ArgumentException($"{instrument.Key} is listed twice.", nameof(instruments));
        lookups = [byMarket[0].GetAlternateLookup<ReadOnlySpan<char>>(), byMarket[1].GetAlternateLookup<ReadOnlySpan<char>>()];
        All = [.. byMarket.SelectMany(d => d.Values).OrderBy(i => i.Key, StringComparer.Ordinal)];
    }

    /// <summary>Every instrument, ordered by key, so anything printed from the table is in one stable order.</summary>
    public IReadOnlyList<Instrument> All { get; }

    public Instrument? Find(MarketKind market, string symbol) => byMarket[(int)market].GetValueOrDefault(symbol);

    public Instrument? Find(string key)
    {
        var colon = key.IndexOf(':');
        return colon > 0 && MarketKinds.TryParse(key.AsSpan(0, colon), out var market) ? Find(market, key[(colon + 1)..]) : null;
    }

    /// <summary>Finds the instrument named by ASCII bytes (<c>btcusdt</c> or <c>BTCUSDT</c>).</summary>
    public bool TryFind(MarketKind market, ReadOnlySpan<byte> utf8Symbol, out Instrument instrument)
    {
        instrument = null!;
        if (utf8Symbol.IsEmpty || utf8Symbol.Length > 20) return false;
        Span<char> chars = stackalloc char[20];
        if (Encoding.ASCII.GetChars(utf8Symbol, chars) is var written && written != utf8Symbol.Length) return false;
        return lookups[(int)market].TryGetValue(chars[..written], out instrument!);
    }
}
