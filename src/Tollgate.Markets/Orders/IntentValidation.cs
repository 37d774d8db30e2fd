using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Orders;

/// <summary>Why an intent is refused before anything is sent. Each has a stable code; the order is REJECTED with it.</summary>
public enum IntentRejection : byte
{
    None,
    /// <summary>EXE-INTENT-ID: no intent id, or one over 128 characters.</summary>
    MissingId,
    /// <summary>EXE-INTENT-SYMBOL: the instrument is not in the routed universe.</summary>
    UnknownSymbol,
    /// <summary>EXE-INTENT-QTY: the quantity is not above 0.</summary>
    Quantity,
    /// <summary>EXE-INTENT-STEP: the quantity is not a whole number of the instrument's step size.</summary>
    OffStep,
    /// <summary>EXE-INTENT-PRICE: a limit order without a positive price, or a market order with one.</summary>
    Price,
    /// <summary>EXE-INTENT-TICK: a price (limit, stop-loss, take-profit) not on the instrument's tick.</summary>
    OffTick,
    /// <summary>EXE-INTENT-NOTIONAL: quantity × price below the instrument's minimum notional.</summary>
    BelowMinNotional,
    /// <summary>EXE-INTENT-PROTECTION: a stop-loss or take-profit on the wrong side of the entry.</summary>
    Protection,
    /// <summary>EXE-INTENT-CONFIG: no config rev: a decision must name the rules that made it.</summary>
    MissingConfigRev,
}

public static class IntentValidation
{
    public const int MaxIntentIdLength = 128;

    public static string Code(this IntentRejection rejection) => rejection switch
    {
        IntentRejection.None => "OK",
        IntentRejection.MissingId => "EXE-INTENT-ID",
        IntentRejection.UnknownSymbol => "EXE-INTENT-SYMBOL",
        IntentRejection.Quantity => "EXE-INTENT-QTY",
        IntentRejection.OffStep => "EXE-INTENT-STEP",
        IntentRejection.Price => "EXE-INTENT-PRICE",
        IntentRejection.OffTick => "EXE-INTENT-TICK",
        IntentRejection.BelowMinNotional => "EXE-INTENT-NOTIONAL",
        IntentRejection.Protection => "EXE-INTENT-PROTECTION",
        IntentRejection.MissingConfigRev => "EXE-INTENT-CONFIG",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };

    /// <summary>
    /// The first thing wrong with <paramref name="intent"/>, checked against the routed universe; None when it may go
    /// on to the kill switch and risk. <paramref name="referencePrice"/> (e.g. the mid) prices a market order for the
    /// minimum-notional check; without one a market order's notional is not checked here (risk checks it against the book).
    /// </summary>
    public static IntentRejection Validate(OrderIntent intent, InstrumentTable universe, decimal? referencePrice = null)
    {
        if (string.IsNullOrWhiteSpace(intent.IntentId) || intent.IntentId.Length > MaxIntentIdLength) return IntentRejection.MissingId;
        if (string.IsNullOrWhiteSpace(intent.ConfigRev)) return IntentRejection.MissingConfigRev;
        if (universe.Find(intent.Instrument.Market, intent.Instrument.Symbol) is not { } instrument || !ReferenceEquals(instrument, intent.Instrument))
            return IntentRejection.UnknownSymbol;
        if (intent.Quantity <= 0) return IntentRejection.Quantity;
        if (!instrument.IsOnStep(intent.Quantity)) return IntentRejection.OffStep;
        switch (intent.Type)
        {
            case OrderType.Limit when intent.LimitPrice is not > 0:
            case OrderType.Market when intent.LimitPrice is not null:
                return IntentRejection.Price;
        }
        if (!OnTick(intent.LimitPrice, instrument) || !OnTick(intent.StopLoss, instrument) || !OnTick(intent.TakeProfit, instrument))
            return IntentRejection.OffTick;
        var entry = intent.LimitPrice ?? referencePrice;
        if (entry is { } e)
        {
            if (instrument.MinNotional > 0 && intent.Quantity * e < instrument.MinNotional) return IntentRejection.BelowMinNotional;
            var buy = intent.Side == OrderSide.Buy;
            if (intent.StopLoss is { } sl && (buy ? sl >= e : sl <= e)) return IntentRejection.Protection;
            if (intent.TakeProfit is { } tp && (buy ? tp <= e : tp >= e)) return IntentRejection.Protection;
        }
        return IntentRejection.None;
    }

    private static bool OnTick(decimal? price, Instrument instrument) => price is not { } p || (p > 0 && instrument.IsOnTick(p));
}
