using System.Text;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Intents on the order-intents stream: exact round trips, and every body that is not an intent refused with EXE-INTENT-SCHEMA.</summary>
public sealed class IntentJsonTests
{
    private static readonly InstrumentTable Universe = new([RouterRig.Spot, RouterRig.Perp]);

    [Fact]
    public void An_intent_round_trips_exactly_with_its_decimals_and_flags()
    {
        var intent = new OrderIntent("rules-1:r:SPOT:ETHUSDT:42", RouterRig.Spot, OrderSide.Sell, OrderType.Limit, 1.23400m, 3210.50m, 3300.00m, 3100.10m,
            "rules-1", new DateTimeOffset(2026, 12, 4, 1, 2, 3, 456, TimeSpan.FromHours(2)), ReduceOnly: true);
        var back = IntentJson.Parse(IntentJson.Serialize(intent), Universe);
        Assert.Equal(intent with { DecidedAt = intent.DecidedAt.ToUniversalTime() }, back with { DecidedAt = back.DecidedAt.ToUniversalTime() });
        Assert.Same(RouterRig.Spot, back.Instrument);
        Assert.Equal("1.23400", back.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)); // the scale survives: no double on the way
    }

    [Fact]
    public void An_instrument_outside_the_universe_is_still_an_intent_for_the_router_to_refuse()
    {
        var body = """{"intent_id":"x","market":"SPOT","symbol":"SOLUSDT","side":"BUY","type":"MARKET","quantity":"1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""";
        var intent = IntentJson.Parse(Encoding.UTF8.GetBytes(body), Universe);
        Assert.Null(Universe.Find(intent.Instrument.Market, intent.Instrument.Symbol));
        Assert.Equal(IntentRejection.UnknownSymbol, IntentValidation.Validate(intent, Universe));
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "a JSON object")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z","colour":"red"}""", "unknown field 'colour'")]
    [InlineData("""{"intent_id":"x","market":"OPTIONS","symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "market")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"HOLD","type":"MARKET","quantity":"1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "side")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"STOP","quantity":"1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "type")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":1,"config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "quantity must be a string")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"1e3","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "not a decimal")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"MARKET","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "quantity is required")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"1","config_rev":"r","decided_at":"yesterday"}""", "decided_at")]
    [InlineData("""{"intent_id":"x","market":"SPOT","symbol":"ETH-USDT","side":"BUY","type":"MARKET","quantity":"1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""", "symbol")]
    public void A_body_that_is_not_an_intent_is_refused_with_EXE_INTENT_SCHEMA_and_the_reason(string body, string reason)
    {
        var refused = Assert.Throws<IntentFormatException>(() => IntentJson.Parse(Encoding.UTF8.GetBytes(body), Universe));
        Assert.StartsWith("EXE-INTENT-SCHEMA: ", refused.Message);
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public void A_negative_quantity_or_a_missing_id_parses_and_is_left_to_the_router_to_refuse_with_its_code()
    {
        var body = """{"market":"SPOT","symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"-1","config_rev":"r","decided_at":"2026-12-04T00:00:00Z"}""";
        var intent = IntentJson.Parse(Encoding.UTF8.GetBytes(body), Universe);
        Assert.Equal(-1m, intent.Quantity);
        Assert.Equal(IntentRejection.MissingId, IntentValidation.Validate(intent, Universe));
    }
}
