using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.AzureStorage;

/// <summary>
/// The execution store on Azure Tables (Azurite locally), insert-only like every governed table:
/// <c>&lt;hub&gt;Orders</c> (PartitionKey = client order id; RowKey <c>order</c> for the order, <c>e000000</c>… for its
/// events, so an order and its history are one partition and its first event is written with it in one
/// transaction), <c>&lt;hub&gt;Fills</c> (PartitionKey = client order id, RowKey = trade id) and
/// <c>&lt;hub&gt;Positions</c> (PartitionKey = instrument key, RowKey = 19-digit sequence). Every write is an
/// <c>AddEntity</c>, which the service refuses with 409 when the key is taken: that refusal is the "someone was first".
/// Client order ids (<c>tg-</c> + hex) and instrument keys (<c>SPOT:BTCUSDT</c>) are valid keys as they are.
/// </summary>
public sealed class TableExecutionStore(TableClient orders, TableClient fills, TableClient positions) : IExecutionStore
{
    private const string OrderRow = "order";

    /// <summary>Orders this process has seen recorded: an event is refused for one that is not (its row would block the order for good).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> recorded = new(StringComparer.Ordinal);

    public static async Task<TableExecutionStore> CreateAsync(TableServiceClient service, string hub, CancellationToken cancellationToken)
    {
        var tables = new[] { "Orders", "Fills", "Positions" }.Select(name => service.GetTableClient(hub + name)).ToArray();
        foreach (var table in tables) await table.CreateIfNotExistsAsync(cancellationToken);
        return new TableExecutionStore(tables[0], tables[1], tables[2]);
    }

    public async Task<bool> TryAddOrderAsync(OrderRecord order, OrderEventRecord initialized, CancellationToken cancellationToken)
    {
        try
        {
            await orders.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Add, ToEntity(order)),
                new TableTransactionAction(TableTransactionActionType.Add, ToEntity(initialized))], cancellationToken);
            recorded[order.ClientOrderId] = 0;
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TryAppendEventAsync(OrderEventRecord e, CancellationToken cancellationToken)
    {
        if (!recorded.ContainsKey(e.ClientOrderId))
        {
            if (!(await orders.GetEntityIfExistsAsync<TableEntity>(e.ClientOrderId, OrderRow, cancellationToken: cancellationToken)).HasValue) return false;
            recorded[e.ClientOrderId] = 0;
        }
        return await TryAddAsync(orders, ToEntity(e), cancellationToken);
    }

    public async Task<StoredOrder?> GetOrderAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in orders.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {clientOrderId}"), cancellationToken: cancellationToken))
            rows.Add(row);
        return Assemble(rows);
    }

    public Task<bool> TryAddFillAsync(FillRecord fill, CancellationToken cancellationToken) => TryAddAsync(fills, ToEntity(fill), cancellationToken);

    public async Task<IReadOnlyList<FillRecord>> FillsAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        var found = new List<FillRecord>();
        await foreach (var row in fills.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {clientOrderId}"), cancellationToken: cancellationToken))
            found.Add(ToFill(row));
        // As executed, not in key order (trade id "10" sorts before "9").
        return [.. found.OrderBy(f => f.At).ThenBy(f => f.TradeId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<FillRecord>> FillsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var found = new List<FillRecord>();
        await foreach (var row in fills.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"At ge {since}"), cancellationToken: cancellationToken))
            found.Add(ToFill(row));
        return found;
    }

    public Task<bool> TryAddPositionAsync(PositionSnapshot snapshot, CancellationToken cancellationToken) => TryAddAsync(positions, ToEntity(snapshot), cancellationToken);

    public async Task<IReadOnlyList<PositionSnapshot>> LatestPositionsAsync(CancellationToken cancellationToken)
    {
        // Rows come in key order, so each instrument's last row is its latest snapshot.
        var latest = new Dictionary<string, PositionSnapshot>(StringComparer.Ordinal);
        await foreach (var row in positions.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            latest[row.PartitionKey] = ToPosition(row);
        return [.. latest.Values];
    }

    public async IAsyncEnumerable<StoredOrder> OrdersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in orders.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (rows.Count > 0 && rows[0].PartitionKey != row.PartitionKey)
            {
                if (Assemble(rows) is { } order) yield return order;
                rows.Clear();
            }
            rows.Add(row);
        }
        if (Assemble(rows) is { } last) yield return last;
    }

    private static async Task<bool> TryAddAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>An order from its partition's rows (the order row sorts after the event rows); null without an order row.</summary>
    private static StoredOrder? Assemble(List<TableEntity> rows)
    {
        var header = rows.FirstOrDefault(r => r.RowKey == OrderRow);
        if (header is null) return null;
        var events = rows.Where(r => r.RowKey != OrderRow).OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(ToEvent).ToList();
        return events.Count == 0 ? null : new StoredOrder(ToOrder(header), events);
    }

    private static TableEntity ToEntity(OrderRecord o) => new(o.ClientOrderId, OrderRow)
    {
        ["IntentId"] = o.IntentId, ["Instrument"] = o.InstrumentKey, ["Side"] = o.Side.ToString(), ["Type"] = o.Type.ToString(),
        ["Quantity"] = Text(o.Quantity), ["LimitPrice"] = Text(o.LimitPrice), ["StopLoss"] = Text(o.StopLoss), ["TakeProfit"] = Text(o.TakeProfit),
        ["ReduceOnly"] = o.ReduceOnly, ["ConfigRev"] = o.ConfigRev, ["Environment"] = o.Environment, ["Channel"] = o.Channel,
        ["DecidedAt"] = o.DecidedAt, ["RoutedAt"] = o.RoutedAt, ["MidAtSend"] = Text(o.MidAtSend), ["BookTop3"] = o.BookTop3,
    };

    private static OrderRecord ToOrder(TableEntity e) => new(
        e.GetString("IntentId"), e.PartitionKey, e.GetString("Instrument"), Enum.Parse<OrderSide>(e.GetString("Side")), Enum.Parse<OrderType>(e.GetString("Type")),
        Number(e, "Quantity"), Optional(e, "LimitPrice"), Optional(e, "StopLoss"), Optional(e, "TakeProfit"), e.GetBoolean("ReduceOnly") ?? false,
        e.GetString("ConfigRev"), e.GetString("Environment"), e.GetString("Channel"), e.GetDateTimeOffset("DecidedAt")!.Value, e.GetDateTimeOffset("RoutedAt")!.Value,
        Optional(e, "MidAtSend"), e.GetString("BookTop3") ?? "");

    private static TableEntity ToEntity(OrderEventRecord r) => new(r.ClientOrderId, "e" + r.Sequence.ToString("D6", CultureInfo.InvariantCulture))
    {
        ["Sequence"] = r.Sequence, ["Status"] = r.Status.Code(), ["At"] = r.At, ["Reason"] = r.Reason, ["Detail"] = r.Detail,
        ["Executed"] = Text(r.ExecutedQuantity), ["AveragePrice"] = Text(r.AveragePrice), ["ExchangeOrderId"] = r.ExchangeOrderId,
    };

    private static OrderEventRecord ToEvent(TableEntity e) => new(
        e.PartitionKey, e.GetInt32("Sequence")!.Value, ParseStatus(e.GetString("Status")), e.GetDateTimeOffset("At")!.Value, e.GetString("Reason"),
        e.GetString("Detail") ?? "", Number(e, "Executed"), Optional(e, "AveragePrice"), e.GetString("ExchangeOrderId"));

    private static TableEntity ToEntity(FillRecord f) => new(f.ClientOrderId, f.TradeId)
    {
        ["IntentId"] = f.IntentId, ["Instrument"] = f.InstrumentKey, ["Side"] = f.Side.ToString(), ["Quantity"] = Text(f.Quantity), ["Price"] = Text(f.Price),
        ["Fee"] = Text(f.Fee), ["FeeAsset"] = f.FeeAsset, ["IsMaker"] = f.IsMaker, ["At"] = f.At, ["MidAtSend"] = Text(f.MidAtSend),
        ["BookTop3"] = f.BookTop3, ["SlippageBps"] = Text(f.SlippageBps), ["ConfigRev"] = f.ConfigRev,
    };

    private static FillRecord ToFill(TableEntity e) => new(
        e.PartitionKey, e.GetString("IntentId"), e.RowKey, e.GetString("Instrument"), Enum.Parse<OrderSide>(e.GetString("Side")), Number(e, "Quantity"),
        Number(e, "Price"), Number(e, "Fee"), e.GetString("FeeAsset") ?? "", e.GetBoolean("IsMaker") ?? false, e.GetDateTimeOffset("At")!.Value,
        Optional(e, "MidAtSend"), e.GetString("BookTop3") ?? "", Optional(e, "SlippageBps"), e.GetString("ConfigRev") ?? "");

    private static TableEntity ToEntity(PositionSnapshot p) => new(p.InstrumentKey, p.Sequence.ToString("D19", CultureInfo.InvariantCulture))
    {
        ["Quantity"] = Text(p.Quantity), ["AveragePrice"] = Text(p.AveragePrice), ["CostBasis"] = Text(p.CostBasis), ["RealizedPnl"] = Text(p.RealizedPnl),
        ["FeesPaid"] = Text(p.FeesPaid), ["Generation"] = p.Generation, ["UnrealizedPnl"] = Text(p.UnrealizedPnl), ["Mark"] = Text(p.Mark),
        ["At"] = p.At, ["Cause"] = p.Cause,
    };

    private static PositionSnapshot ToPosition(TableEntity e) => new(
        e.PartitionKey, long.Parse(e.RowKey, CultureInfo.InvariantCulture), Number(e, "Quantity"), Number(e, "AveragePrice"), Number(e, "CostBasis"),
        Number(e, "RealizedPnl"), Number(e, "FeesPaid"), e.GetInt32("Generation") ?? 0, Optional(e, "UnrealizedPnl"), Optional(e, "Mark"),
        e.GetDateTimeOffset("At")!.Value, e.GetString("Cause") ?? "");

    private static OrderStatus ParseStatus(string code) =>
        Enum.GetValues<OrderStatus>().FirstOrDefault(s => s.Code() == code, (OrderStatus)255) is var status && status != (OrderStatus)255
            ? status : throw new InvalidDataException($"unknown order status '{code}' in the orders table");

    // Decimals as invariant strings: a Table double would lose digits.
    private static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static decimal Number(TableEntity e, string name) =>
        decimal.Parse(e.GetString(name) ?? throw new InvalidDataException($"{e.PartitionKey}/{e.RowKey} has no {name}"), NumberStyles.Number, CultureInfo.InvariantCulture);

    private static decimal? Optional(TableEntity e, string name) =>
        e.GetString(name) is { Length: > 0 } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : null;
}
