namespace Tollgate.FakeExchange;

/// <summary>An order the fake accepted, as its truth has it now (Binance's names: BUY/SELL, MARKET/LIMIT/LIMIT_MAKER/STOP_LOSS, NEW/FILLED/...).</summary>
/// <param name="OrderListId">The OCO it is a leg of; -1 for none.</param>
public sealed record FakeOrderRecord(
    FakeMarket Market, string Symbol, long OrderId, string ClientOrderId, string Side, string Type, string TimeInForce, string Status,
    decimal Quantity, decimal Price, decimal StopPrice, decimal ExecutedQuantity, decimal CumulativeQuote, bool ReduceOnly, long OrderListId,
    DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt);

/// <summary>One execution. Commission is in the quote asset on both markets; RealizedPnl is futures only.</summary>
public sealed record FakeFill(
    FakeMarket Market, string Symbol, long TradeId, long OrderId, string ClientOrderId, string Side, decimal Price, decimal Quantity,
    decimal Commission, string CommissionAsset, bool IsMaker, decimal RealizedPnl, DateTimeOffset At);

/// <summary>A spot balance.</summary>
public sealed record FakeBalance(string Asset, decimal Free, decimal Locked)
{
    public decimal Total => Free + Locked;
}

/// <summary>A futures position (one-way mode): signed amount and entry price.</summary>
public sealed record FakePosition(string Symbol, decimal Amount, decimal EntryPrice);

/// <summary>What a REST handler answers: the status and body, and how to deliver them (scripted faults).</summary>
/// <param name="Delay">Wait this long (real time) before answering: a response slower than the client's timeout.</param>
/// <param name="Abort">Drop the connection instead of answering.</param>
internal sealed record FakeReply(int Status, string Body, TimeSpan? RetryAfter = null, TimeSpan? Delay = null, bool Abort = false);

/// <summary>What holds an order's funds while it rests; the two legs of an OCO share one.</summary>
internal sealed class FakeLock(string asset, decimal amount)
{
    public string Asset { get; } = asset;
    public decimal Amount { get; set; } = amount;
}

internal sealed class FakeOrderList(long id, string listClientOrderId, string symbol, DateTimeOffset at)
{
    public long Id { get; } = id;
    public string ListClientOrderId { get; } = listClientOrderId;
    public string Symbol { get; } = symbol;
    public DateTimeOffset At { get; set; } = at;
    public List<FakeOrder> Legs { get; } = [];
    public bool Done { get; set; }
}

/// <summary>An order's mutable state, changed only under the desk's lock.</summary>
internal sealed class FakeOrder
{
    public required FakeMarket Market { get; init; }
    public required string Symbol { get; init; }
    public required long OrderId { get; init; }
    public required string ClientOrderId { get; init; }
    public required string Side { get; init; }
    public required string Type { get; init; }
    public string TimeInForce { get; init; } = "GTC";
    public required decimal Quantity { get; init; }
    public decimal Price { get; init; }
    public decimal StopPrice { get; init; }
    public bool ReduceOnly { get; init; }
    public FakeOrderList? List { get; init; }
    public FakeLock? Lock { get; set; }
    public required DateTimeOffset PlacedAt { get; init; }
    public string Status { get; set; } = "NEW";
    public decimal Executed { get; set; }
    public decimal CumulativeQuote { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool Buy => Side == "BUY";
    public bool IsOpen => Status is "NEW" or "PARTIALLY_FILLED";
    public decimal Remaining => Quantity - Executed;

    public FakeOrderRecord Record() => new(Market, Symbol, OrderId, ClientOrderId, Side, Type, TimeInForce, Status, Quantity, Price, StopPrice,
        Executed, CumulativeQuote, ReduceOnly, List?.Id ?? -1, PlacedAt, UpdatedAt);
}
