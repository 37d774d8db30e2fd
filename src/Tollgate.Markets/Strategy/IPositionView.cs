using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// What the strategy may know of positions: the open quantity of an instrument (signed for futures, held for spot;
/// 0 when flat). The router's position book implements it; the strategy only reads it to honour a rule's
/// <see cref="StrategyRule.MaxOpen"/>.
/// </summary>
public interface IPositionView
{
    decimal OpenQuantity(Instrument instrument);
}
