namespace Tollgate.Markets.Binance.Orders;

/// <summary>How the Binance order channel places and resolves orders.</summary>
/// <param name="QueryBeforePlace">
/// Ask for the client order id before placing it. Binance refuses a duplicate <c>newClientOrderId</c> only among
/// <em>open</em> orders: once an order has filled, the same id is accepted again as a second order. The query is what
/// makes placing a request twice (a redelivered intent) return the first order instead of making another.
/// </param>
/// <param name="UnknownQueryAttempts">After an unknown outcome, how often the channel queries the order before it answers Unknown (0: at once).</param>
/// <param name="UnknownQueryDelay">The wait before the first of those queries; doubled before each next one.</param>
/// <param name="PlaceTimeout">How long a placement waits for its answer; then the outcome is unknown (the order may exist).</param>
/// <param name="FillsLookback">The oldest <c>since</c> a fills query accepts: each day (spot) or week (futures) before now is one more request.</param>
public sealed record BinanceOrderChannelOptions(
    bool QueryBeforePlace = true,
    int UnknownQueryAttempts = 3,
    TimeSpan? UnknownQueryDelay = null,
    TimeSpan? PlaceTimeout = null,
    TimeSpan? FillsLookback = null)
{
    public int ValidatedUnknownQueryAttempts { get; } = UnknownQueryAttempts is >= 0 and <= 20
        ? UnknownQueryAttempts : throw new ArgumentOutOfRangeException(nameof(UnknownQueryAttempts), UnknownQueryAttempts, "0 to 20 queries.");

    public TimeSpan EffectiveUnknownQueryDelay { get; } = Positive(UnknownQueryDelay ?? TimeSpan.FromMilliseconds(250), nameof(UnknownQueryDelay));
    public TimeSpan EffectivePlaceTimeout { get; } = Positive(PlaceTimeout ?? TimeSpan.FromSeconds(10), nameof(PlaceTimeout));
    public TimeSpan EffectiveFillsLookback { get; } = Positive(FillsLookback ?? TimeSpan.FromDays(90), nameof(FillsLookback));

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "must be positive.");
}
