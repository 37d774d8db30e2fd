using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Features;

/// <summary>What caused a feature event.</summary>
public enum FeatureTrigger : byte
{
    /// <summary>A best bid/offer update.</summary>
    Quote,
    /// <summary>A change of the depth book (a delta, or a snapshot that synced it).</summary>
    Book,
    /// <summary>A bar closed: ATR and realized volatility moved.</summary>
    Bar,
}

/// <summary>
/// The features of one instrument after one update (seed 002 S2 → <c>feat:{events}:{symbol}</c>). Prices are exact
/// decimals; <see cref="SpreadBps"/>, <see cref="Imbalance"/> and <see cref="RealizedVolatility"/> are decimals
/// rounded to fixed places so two replays print the same digits. Null means not known yet (no synced book for the
/// imbalance, too few bars for ATR or volatility).
/// </summary>
/// <param name="UpdateId">The order book update id the top of book reflects.</param>
/// <param name="Imbalance">(bidQty − askQty) / (bidQty + askQty) over the top <see cref="FeatureConfig.ImbalanceLevels"/> levels of the depth book, in [−1, 1].</param>
/// <param name="Microprice">The size-weighted mid: (bid·askQty + ask·bidQty) / (bidQty + askQty).</param>
/// <param name="RealizedVolatility">√Σ ln(cᵢ/cᵢ₋₁)² over the last <see cref="FeatureConfig.VolatilityBars"/> bar closes.</param>
public readonly record struct FeatureEvent(
    Instrument Instrument, FeatureTrigger Trigger, long UpdateId,
    DateTimeOffset? ExchangeTime, DateTimeOffset IngestTime,
    decimal BidPrice, decimal BidQuantity, decimal AskPrice, decimal AskQuantity,
    decimal Mid, decimal Spread, decimal SpreadBps, decimal Microprice, decimal? Imbalance,
    decimal? Atr, decimal? RealizedVolatility, Regime Regime, string ConfigRev);

/// <summary>Where feature events go: the order path's stream, a replay's output file, a test's list.</summary>
public interface IFeatureSink
{
    void OnFeatures(in FeatureEvent features);
}
