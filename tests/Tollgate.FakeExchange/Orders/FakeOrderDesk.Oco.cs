using static Tollgate.FakeExchange.FakeOrderJson;

namespace Tollgate.FakeExchange;

/// <summary>Spot OCO order lists: a LIMIT_MAKER and a STOP_LOSS leg sharing one lock of funds; the first to execute expires the other.</summary>
public sealed partial class FakeOrderDesk
{
    /// <summary>
    /// <c>POST /api/v3/orderList/oco</c>. A SELL list takes aboveType=LIMIT_MAKER (abovePrice) and belowType=STOP_LOSS
    /// (belowStopPrice); a BUY list the mirror. The take profit must not match at once and the stop must not be
    /// triggered already (else -2010 "The relationship of the prices..."). Only those two leg types are served.
    /// </summary>
    internal FakeReply PlaceOco(Dictionary<string, string> p)
    {
        lock (gate)
        {
            var now = Now();
            if (p.TryGetValue("listClientOrderId", out var named)) Increment(placeRequests, named);
            if (BeforeAcceptFault() is { } fault) return fault;
            if (Listing(FakeMarket.Spot, p) is not { } simulator) return SymbolError(p);
            var listing = simulator.Listing;
            if (p.GetValueOrDefault("side") is not ("BUY" or "SELL") || !TryDecimal(p, "quantity", out var quantity) || quantity <= 0)
                return Bad(-1102, "Mandatory parameter 'side' or 'quantity' was not sent, was empty/null, or malformed.");
            if (quantity % listing.StepSize != 0) return Bad(-1013, "Filter failure: LOT_SIZE");
            var side = p["side"];
            var sell = side == "SELL";
            var (maker, stopper) = sell ? ("above", "below") : ("below", "above");
            if (p.GetValueOrDefault(maker + "Type") != "LIMIT_MAKER" || p.GetValueOrDefault(stopper + "Type") != "STOP_LOSS")
                return Bad(-1102, $"This fake serves a {side} OCO as {maker}Type=LIMIT_MAKER and {stopper}Type=STOP_LOSS only.");
            if (!TryDecimal(p, maker + "Price", out var takeProfit) || takeProfit <= 0)
                return Bad(-1102, $"Mandatory parameter '{maker}Price' was not sent, was empty/null, or malformed.");
            if (!TryDecimal(p, stopper + "StopPrice", out var stop) || stop <= 0)
                return Bad(-1102, $"Mandatory parameter '{stopper}StopPrice' was not sent, was empty/null, or malformed.");
            if (takeProfit % listing.TickSize != 0 || stop % listing.TickSize != 0) return Bad(-1013, "Filter failure: PRICE_FILTER");
            var listId = named ?? $"fake-auto-{++nextAutoId}";
            var makerId = p.GetValueOrDefault(maker + "ClientOrderId") ?? $"fake-auto-{++nextAutoId}";
            var stopId = p.GetValueOrDefault(stopper + "ClientOrderId") ?? $"fake-auto-{++nextAutoId}";
            if (!ValidId(listId) || !ValidId(makerId) || !ValidId(stopId))
                return Bad(-1100, "Illegal characters found in a client order id; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
            if (ListTaken(listId) || Taken(FakeMarket.Spot, listing.Symbol, makerId) || Taken(FakeMarket.Spot, listing.Symbol, stopId))
                return Duplicate(FakeMarket.Spot);

            var book = Book(simulator);
            var reference = sell ? (book.Bids.Count > 0 ? book.Bids[0].Price : book.Mid) : (book.Asks.Count > 0 ? book.Asks[0].Price : book.Mid);
            if (sell ? !(takeProfit > reference && stop < reference) : !(takeProfit < reference && stop > reference))
                return Bad(-2010, "The relationship of the prices for the orders is not correct.");
            if (quantity * Math.Min(takeProfit, stop) < listing.MinNotional) return Bad(-1013, "Filter failure: NOTIONAL");
            var (baseAsset, quote) = Assets(listing.Symbol);
            var hold = sell ? new FakeLock(baseAsset, quantity) : new FakeLock(quote, Cost(quantity * Math.Max(takeProfit, stop)));
            if (Free(hold.Asset) < hold.Amount) return Insufficient();
            Lock(hold);

            var list = new FakeOrderList(++nextListId, listId, listing.Symbol, now);
            FakeOrder Leg(string id, string type, decimal price, decimal stopPrice) => new()
            {
                Market = FakeMarket.Spot, Symbol = listing.Symbol, OrderId = ++nextSpotOrderId, ClientOrderId = id, Side = side, Type = type,
                Quantity = quantity, Price = price, StopPrice = stopPrice, List = list, Lock = hold, PlacedAt = now, UpdatedAt = now,
            };
            // Binance lists the stop-loss leg first.
            list.Legs.Add(Leg(stopId, "STOP_LOSS", 0, stop));
            list.Legs.Add(Leg(makerId, "LIMIT_MAKER", takeProfit, 0));
            foreach (var leg in list.Legs)
            {
                Accept(leg);
                Rest(leg);
            }
            if (!lists.TryGetValue(listId, out var same)) lists[listId] = same = [];
            same.Add(list);
            Increment(accepted, listId);
            return AfterAcceptFault(new FakeReply(200, OrderList(list, reports: true)));
        }
    }

    /// <summary><c>GET /api/v3/orderList</c> by origClientOrderId (the list's id) or orderListId.</summary>
    internal FakeReply QueryOrderList(Dictionary<string, string> p)
    {
        lock (gate)
        {
            if (Faults.TakeQueryFailure() is { } status) return new(status, Error(-1001, "Internal error; unable to process your request. Please try again."));
            FakeOrderList? list = null;
            if (p.TryGetValue("origClientOrderId", out var id)) list = lists.TryGetValue(id, out var same) ? same[^1] : null;
            else if (TryLong(p, "orderListId", out var listId)) list = lists.Values.SelectMany(l => l).FirstOrDefault(l => l.Id == listId);
            else return Bad(-1102, "Param 'origClientOrderId' or 'orderListId' must be sent, but both were empty/null!");
            return list is null ? Bad(-2013, "Order list does not exist.") : new(200, OrderList(list, reports: false));
        }
    }

    private bool ListTaken(string listClientOrderId) =>
        lists.TryGetValue(listClientOrderId, out var same) && (!options.DuplicateClientOrderIdsAmongOpenOnly || same.Any(l => !l.Done));
}
