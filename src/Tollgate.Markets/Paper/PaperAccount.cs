using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

/// <summary>
/// The paper account: spot balances (total and what resting orders hold back), the futures wallet, and the
/// futures positions. It applies fills; whether a fill is affordable is decided before, by the channel.
/// </summary>
internal sealed class PaperAccount
{
    private readonly Dictionary<string, Balance> spot = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> wallet = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaperPosition> positions = new(StringComparer.Ordinal);

    public PaperAccount(PaperSettings settings)
    {
        foreach (var (asset, amount) in settings.SpotBalances) spot[asset.ToUpperInvariant()] = new Balance { Total = amount };
        foreach (var (asset, amount) in settings.FuturesWallet) wallet[asset.ToUpperInvariant()] = amount;
    }

    public decimal Free(string asset) => spot.TryGetValue(asset, out var b) ? b.Total - b.Locked : 0;

    public void Lock(string asset, decimal amount) => BalanceOf(asset).Locked += amount;

    public void Unlock(string asset, decimal amount) => BalanceOf(asset).Locked -= amount;

    /// <summary>Fees are charged in the quote asset on both sides (paper does not model paying fees in the base asset or BNB).</summary>
    public void SpotFill(AssetPair assets, OrderSide side, decimal quantity, decimal price, decimal fee)
    {
        var notional = quantity * price;
        if (side == OrderSide.Buy)
        {
            BalanceOf(assets.Base).Total += quantity;
            BalanceOf(assets.Quote).Total -= notional + fee;
        }
        else
        {
            BalanceOf(assets.Base).Total -= quantity;
            BalanceOf(assets.Quote).Total += notional - fee;
        }
    }

    /// <summary>A fee charged in an asset other than the quote (restore only: paper itself charges the quote).</summary>
    public void SpotFee(string asset, decimal fee) => BalanceOf(asset).Total -= fee;

    /// <summary>A futures fee charged in a wallet asset other than the margin asset (restore only).</summary>
    public void WalletFee(string asset, decimal fee) => wallet[asset] = wallet.GetValueOrDefault(asset) - fee;

    /// <summary>Signed; 0 when flat.</summary>
    public decimal Position(Instrument instrument) => positions.TryGetValue(instrument.Key, out var p) ? p.Quantity : 0;

    public void FuturesFill(Instrument instrument, string marginAsset, OrderSide side, decimal quantity, decimal price, decimal fee)
    {
        if (!positions.TryGetValue(instrument.Key, out var position)) positions[instrument.Key] = position = new PaperPosition(instrument);
        var realized = position.Apply(side == OrderSide.Buy ? quantity : -quantity, price);
        wallet[marginAsset] = wallet.GetValueOrDefault(marginAsset) + realized - fee;
    }

    /// <summary>
    /// Spot: every asset balance that is not zero. Futures: the wallet balances (no instrument) and then every open
    /// position. Each in ordinal order of its name, so two identical accounts report identically.
    /// </summary>
    public IReadOnlyList<ChannelHolding> Holdings(MarketKind market)
    {
        if (market == MarketKind.Spot)
            return spot.Where(kv => kv.Value.Total != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new ChannelHolding(null, kv.Key, kv.Value.Total, null)).ToArray();
        var balances = wallet.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new ChannelHolding(null, kv.Key, kv.Value, null));
        var open = positions.Values.Where(p => p.Quantity != 0).OrderBy(p => p.Instrument.Symbol, StringComparer.Ordinal)
            .Select(p => new ChannelHolding(p.Instrument, p.Instrument.Symbol, p.Quantity, p.EntryPrice));
        return balances.Concat(open).ToArray();
    }

    private Balance BalanceOf(string asset)
    {
        if (!spot.TryGetValue(asset, out var balance)) spot[asset] = balance = new Balance();
        return balance;
    }

    private sealed class Balance
    {
        public decimal Total;
        public decimal Locked;
    }
}
