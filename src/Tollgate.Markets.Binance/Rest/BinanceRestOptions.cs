namespace Tollgate.Markets.Binance.Rest;

/// <summary>How the REST client retries and paces itself.</summary>
/// <param name="MaxRetryAttempts">Retries after the first attempt, for 429 (after its Retry-After), 5xx and transport failures.</param>
/// <param name="RetryBaseDelay">The first backoff for 5xx and transport failures; doubled each retry, with jitter.</param>
/// <param name="RetryMaxDelay">The longest backoff, and the longest Retry-After honoured in place (a longer one fails the call at once).</param>
/// <param name="DefaultRetryAfter">The wait for a 429 or 418 that carries no Retry-After header.</param>
/// <param name="SpotWeightLimit">The per-minute request weight assumed until exchangeInfo's rateLimits say otherwise.</param>
/// <param name="FuturesWeightLimit">The same for USDⓈ-M futures.</param>
public sealed record BinanceRestOptions(
    int MaxRetryAttempts = 4,
    TimeSpan? RetryBaseDelay = null,
    TimeSpan? RetryMaxDelay = null,
    TimeSpan? DefaultRetryAfter = null,
    int SpotWeightLimit = 6000,
    int FuturesWeightLimit = 2400)
{
    public TimeSpan EffectiveRetryBaseDelay { get; } = Positive(RetryBaseDelay ?? TimeSpan.FromMilliseconds(500), nameof(RetryBaseDelay));
    public TimeSpan EffectiveRetryMaxDelay { get; } = Positive(RetryMaxDelay ?? TimeSpan.FromMinutes(2), nameof(RetryMaxDelay));
    public TimeSpan EffectiveDefaultRetryAfter { get; } = Positive(DefaultRetryAfter ?? TimeSpan.FromSeconds(5), nameof(DefaultRetryAfter));

    public int ValidatedMaxRetryAttempts { get; } = MaxRetryAttempts is >= 0 and <= 20
        ? MaxRetryAttempts : throw new ArgumentOutOfRangeException(nameof(MaxRetryAttempts), MaxRetryAttempts, "0 to 20 retries.");

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "must be positive.");
}
