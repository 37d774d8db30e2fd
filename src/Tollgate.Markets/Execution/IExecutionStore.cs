namespace Tollgate.Markets.Execution;

/// <summary>
/// Where orders, their events, fills and position snapshots are kept (Azure Tables in the host, memory in tests and
/// replays). Insert-only: nothing recorded is ever updated or deleted, and every insert says whether it was first,
/// which is what lets two deliveries of one intent agree on one order.
/// </summary>
public interface IExecutionStore
{
    /// <summary>Records a new order with its event 0; false (and nothing written) when the client order id is already recorded.</summary>
    Task<bool> TryAddOrderAsync(OrderRecord order, OrderEventRecord initialized, CancellationToken cancellationToken);

    /// <summary>Records event <see cref="OrderEventRecord.Sequence"/>; false when that sequence is already taken.</summary>
    Task<bool> TryAppendEventAsync(OrderEventRecord e, CancellationToken cancellationToken);

    Task<StoredOrder?> GetOrderAsync(string clientOrderId, CancellationToken cancellationToken);

    /// <summary>Records a fill; false when (client order id, trade id) is already recorded.</summary>
    Task<bool> TryAddFillAsync(FillRecord fill, CancellationToken cancellationToken);

    Task<IReadOnlyList<FillRecord>> FillsAsync(string clientOrderId, CancellationToken cancellationToken);

    /// <summary>Every fill executed at or after <paramref name="since"/> (reconciliation).</summary>
    Task<IReadOnlyList<FillRecord>> FillsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Records a snapshot; false when its (instrument, sequence) is already recorded.</summary>
    Task<bool> TryAddPositionAsync(PositionSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>The latest snapshot of each instrument.</summary>
    Task<IReadOnlyList<PositionSnapshot>> LatestPositionsAsync(CancellationToken cancellationToken);

    /// <summary>Every order with its events (reconciliation, startup, reports), in no particular order.</summary>
    IAsyncEnumerable<StoredOrder> OrdersAsync(CancellationToken cancellationToken);
}
