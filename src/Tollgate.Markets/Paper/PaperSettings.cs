using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Paper;

/// <summary>Fees of one market in basis points of the notional, charged in the quote asset.</summary>
public sealed record PaperFees(decimal TakerBps, decimal MakerBps);

/// <summary>
/// How <see cref="PaperChannel"/> simulates execution. The defaults are Binance's regular-tier fees (spot 10/10 bps,
/// USDⓈ-M 4 taker / 2 maker), one basis point of extra slippage, half of each displayed level, 20 levels and a
/// 100,000 USDT account on each market.
/// </summary>
public sealed record PaperSettings
{
    public PaperFees SpotFees { get; init; } = new(TakerBps: 10m, MakerBps: 10m);
    public PaperFees FuturesFees { get; init; } = new(TakerBps: 4m, MakerBps: 2m);

    /// <summary>
    /// Moves every taker price against the taker on top of the book walk: the book the channel reads is already a
    /// little old when a live order would arrive, and a live order moves the book it takes from.
    /// </summary>
    public decimal SlippageBps { get; init; } = 1m;

    /// <summary>
    /// The fraction of a displayed level's quantity one order may take, so a paper order never assumes it would
    /// have been alone at the level; big orders fill partially instead.
    /// </summary>
    public decimal MaxParticipation { get; init; } = 0.5m;

    /// <summary>How many levels a taker walks from the best one; what lies beyond is treated as no liquidity.</summary>
    public int Depth { get; init; } = 20;

    /// <summary>Starting spot balances by asset (BTC, USDT).</summary>
    public IReadOnlyDictionary<string, decimal> SpotBalances { get; init; } = new Dictionary<string, decimal> { ["USDT"] = 100_000m };

    /// <summary>Starting futures wallet balances by margin asset; realized PnL and fees settle here.</summary>
    public IReadOnlyDictionary<string, decimal> FuturesWallet { get; init; } = new Dictionary<string, decimal> { ["USDT"] = 100_000m };

    public PaperFees Fees(MarketKind market) => market == MarketKind.Spot ? SpotFees : FuturesFees;

    /// <exception cref="ArgumentException">A value out of range, naming it.</exception>
    public void Validate()
    {
        CheckFees(nameof(SpotFees), SpotFees);
        CheckFees(nameof(FuturesFees), FuturesFees);
        if (SlippageBps is < 0 or > 1_000) throw new ArgumentException($"paper {nameof(SlippageBps)} must be 0..1000, not {SlippageBps}");
        if (MaxParticipation is <= 0 or > 1) throw new ArgumentException($"paper {nameof(MaxParticipation)} must be above 0 and at most 1, not {MaxParticipation}");
        if (Depth is < 1 or > 5_000) throw new ArgumentException($"paper {nameof(Depth)} must be 1..5000, not {Depth}");
        CheckBalances(nameof(SpotBalances), SpotBalances);
        CheckBalances(nameof(FuturesWallet), FuturesWallet);
    }

    private static void CheckFees(string name, PaperFees? fees)
    {
        // No rebates: a negative fee would reach positions and reports as a refund they do not expect.
        if (fees is null || fees.TakerBps is < 0 or > 100 || fees.MakerBps is < 0 or > 100)
            throw new ArgumentException($"paper {name} must be 0..100 bps each, not {fees}");
    }

    private static void CheckBalances(string name, IReadOnlyDictionary<string, decimal>? balances)
    {
        if (balances is null) throw new ArgumentException($"paper {name} is missing");
        foreach (var (asset, amount) in balances)
        {
            if (string.IsNullOrWhiteSpace(asset) || !asset.All(char.IsAsciiLetterOrDigit))
                throw new ArgumentException($"paper {name}: '{asset}' is not an asset name");
            if (amount < 0) throw new ArgumentException($"paper {name}: {asset} must not start below 0 ({amount})");
        }
        if (balances.Keys.GroupBy(a => a.ToUpperInvariant()).Any(g => g.Count() > 1))
            throw new ArgumentException($"paper {name} names an asset twice");
    }
}
