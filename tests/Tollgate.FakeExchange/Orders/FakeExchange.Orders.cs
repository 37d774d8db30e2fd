using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tollgate.FakeExchange;

/// <summary>The signed order endpoints of both markets, and the order faults tests script. See README.md.</summary>
public sealed partial class FakeExchange
{
    private readonly FakeOrderDesk desk;

    /// <summary>The account's truth: every order placed (with the count per client order id), fills, balances, positions.</summary>
    public FakeOrderDesk Orders => desk;

    // ---- order faults (each counts the next placements, POST order or OCO, on either market) ----

    /// <summary>The next <paramref name="count"/> placements answer 429 (-1015) with Retry-After; nothing is placed.</summary>
    public void RateLimitNextOrders(int count, TimeSpan? retryAfter = null) => desk.Faults.RateLimit(count, retryAfter ?? TimeSpan.FromSeconds(1));

    /// <summary>The next <paramref name="count"/> placements are refused with 400 and <paramref name="code"/>; nothing is placed.</summary>
    public void RejectNextOrders(int count, int code, string? message = null) => desk.Faults.Reject(count, code, message ?? code switch
    {
        -2010 => "Account has insufficient balance for requested action.",
        -1013 => "Filter failure: LOT_SIZE",
        -1021 => "Timestamp for this request is outside of the recvWindow.",
        -2019 => "Margin is insufficient.",
        -1111 => "Precision is over the maximum defined for this asset.",
        _ => "Order rejected (scripted).",
    });

    /// <summary>The next <paramref name="count"/> placements answer <paramref name="status"/> (-1001) without placing anything: an outcome the client cannot tell from one that was placed.</summary>
    public void FailBeforeAcceptNextOrders(int count, int status = 503) => desk.Faults.FailBefore(count, status);

    /// <summary>The next <paramref name="count"/> placements ARE placed, then answered <paramref name="status"/> with <paramref name="errorCode"/> (-1007, -1006 or -1001).</summary>
    public void FailAfterAcceptNextOrders(int count, int status = 503, int errorCode = -1007) => desk.Faults.After(count, new FakeOrderFaults.Fail(status, errorCode));

    /// <summary>The next <paramref name="count"/> placements ARE placed, and their answer is held back <paramref name="delay"/> (real time): longer than the client waits.</summary>
    public void TimeoutNextOrders(int count, TimeSpan delay) => desk.Faults.After(count, new FakeOrderFaults.Delay(delay));

    /// <summary>The next <paramref name="count"/> placements ARE placed, then the connection is dropped without an answer.</summary>
    public void DropConnectionAfterAcceptNextOrders(int count) => desk.Faults.After(count, new FakeOrderFaults.Drop());

    /// <summary>
    /// The next <paramref name="count"/> orders take only <paramref name="fraction"/> of their quantity (down to the step) on arrival:
    /// a market order's rest EXPIRES, a GTC limit order rests its rest.
    /// </summary>
    public void PartialFillNextOrders(int count, decimal fraction) => desk.Faults.Partial(count, fraction);

    /// <summary>The next <paramref name="count"/> order queries (GET order, GET orderList) answer <paramref name="status"/>.</summary>
    public void FailNextQueries(int count, int status = 500) => desk.Faults.FailQueries(count, status);

    /// <summary>Drops every order fault not yet used.</summary>
    public void ClearOrderFaults() => desk.Faults.Clear();

    // ---- routes ----

    private void MapOrders(WebApplication web)
    {
        const FakeMarket spot = FakeMarket.Spot, futures = FakeMarket.Futures;
        Signed(web, "POST", "/api/v3/order", spot, _ => 1, p => desk.Place(spot, p));
        Signed(web, "GET", "/api/v3/order", spot, _ => 4, p => desk.Query(spot, p));
        Signed(web, "DELETE", "/api/v3/order", spot, _ => 1, p => desk.Cancel(spot, p));
        Signed(web, "GET", "/api/v3/openOrders", spot, c => c.Request.Query.ContainsKey("symbol") ? 6 : 80, p => desk.OpenOrders(spot, p));
        Signed(web, "GET", "/api/v3/myTrades", spot, c => c.Request.Query.ContainsKey("orderId") ? 5 : 20, p => desk.Trades(spot, p));
        Signed(web, "GET", "/api/v3/account", spot, _ => 20, desk.Account);
        Signed(web, "POST", "/api/v3/orderList/oco", spot, _ => 1, desk.PlaceOco);
        Signed(web, "GET", "/api/v3/orderList", spot, _ => 4, desk.QueryOrderList);

        Signed(web, "POST", "/fapi/v1/order", futures, _ => 1, p => desk.Place(futures, p));
        Signed(web, "GET", "/fapi/v1/order", futures, _ => 1, p => desk.Query(futures, p));
        Signed(web, "DELETE", "/fapi/v1/order", futures, _ => 1, p => desk.Cancel(futures, p));
        Signed(web, "GET", "/fapi/v1/openOrders", futures, c => c.Request.Query.ContainsKey("symbol") ? 1 : 40, p => desk.OpenOrders(futures, p));
        Signed(web, "GET", "/fapi/v1/userTrades", futures, _ => 5, p => desk.Trades(futures, p));
        Signed(web, "GET", "/fapi/v2/positionRisk", futures, _ => 5, p => desk.PositionRisk(p, v3: false));
        Signed(web, "GET", "/fapi/v3/positionRisk", futures, _ => 5, p => desk.PositionRisk(p, v3: true));
    }

    /// <summary>A SIGNED route: the body is read first (POST parameters travel in it), then weight, faults and the signature check as for every REST call.</summary>
    private void Signed(WebApplication web, string method, string path, FakeMarket market, Func<HttpContext, int> weight, Func<Dictionary<string, string>, FakeReply> handle) =>
        web.MapMethods(path, [method], async context =>
        {
            var body = await FakeSignature.ReadBodyAsync(context).ConfigureAwait(false);
            await RestAsync(context, market, weight(context), c => FakeSignature.Verify(c, body, options, out var parameters) ?? handle(parameters)).ConfigureAwait(false);
        });
}
