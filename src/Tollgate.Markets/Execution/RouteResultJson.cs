using System.Globalization;
using System.Text.Json;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>Route results on the order-results stream: JSON, decimals as strings, status and reason as their codes.</summary>
public static class RouteResultJson
{
    public static byte[] Serialize(RouteResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("intent_id", r.IntentId);
            w.WriteString("client_order_id", r.ClientOrderId);
            w.WriteString("instrument", r.InstrumentKey);
            w.WriteString("status", r.Status.Code());
            if (r.Reason is not null) w.WriteString("reason", r.Reason);
            if (r.Detail.Length > 0) w.WriteString("detail", r.Detail);
            w.WriteString("quantity", Text(r.Quantity));
            w.WriteString("executed", Text(r.ExecutedQuantity));
            if (r.AveragePrice is { } p) w.WriteString("average_price", Text(p));
            w.WriteString("config_rev", r.ConfigRev);
            w.WriteString("environment", r.Environment);
            w.WriteString("channel", r.Channel);
            w.WriteBoolean("replayed", r.Replayed);
            w.WriteString("at", r.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
