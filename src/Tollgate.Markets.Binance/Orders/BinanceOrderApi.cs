using System.Globalization;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Orders;

/// <summary>The order endpoints of each market and the request weight Binance documents for each, which the REST client paces by.</summary>
internal static class BinanceOrderApi
{
    public static string Order(MarketKind market) => market == MarketKind.Spot ? "/api/v3/order" : "/fapi/v1/order";
    public static string OpenOrders(MarketKind market) => market == MarketKind.Spot ? "/api/v3/openOrders" : "/fapi/v1/openOrders";
    public static string Trades(MarketKind market) => market == MarketKind.Spot ? "/api/v3/myTrades" : "/fapi/v1/userTrades";
    public const string PositionRisk = "/fapi/v3/positionRisk";
    public const string Oco = "/api/v3/orderList/oco";
    public const string OrderList = "/api/v3/orderList";

    // Spot: order 1, query 4, cancel 1, openOrders with a symbol 6, myTrades 20 (5 with orderId), orderList 4.
    // Futures: order and cancel 1 (and 0 on the IP limit), query 1, openOrders with a symbol 1, userTrades 5, positionRisk 5.
    public const int PlaceWeight = 1;
    public static int QueryWeight(MarketKind market) => market == MarketKind.Spot ? 4 : 1;
    public const int CancelWeight = 1;
    public static int OpenOrdersWeight(MarketKind market) => market == MarketKind.Spot ? 6 : 1;
    public static int TradesWeight(MarketKind market, bool byOrder) => market == MarketKind.Spot ? (byOrder ? 5 : 20) : 5;
    public const int PositionRiskWeight = 5;
    public const int OrderListWeight = 4;

    /// <summary>The most trades one trades request returns.</summary>
    public const int TradesLimit = 1000;

    /// <summary>The longest startTime..endTime one trades request may span: 24 h on spot, 7 days on futures.</summary>
    public static TimeSpan TradesWindow(MarketKind market) => market == MarketKind.Spot ? TimeSpan.FromHours(24) : TimeSpan.FromDays(7);

    /// <summary>A quantity or price as Binance takes it: invariant, plain, without trailing zeros (which can trip its precision check).</summary>
    public static string Wire(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
