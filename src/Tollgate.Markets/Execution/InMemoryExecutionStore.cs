using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Tollgate.Markets.Execution;

/// <summary>The execution store in memory: replays (<c>tollgate paper run</c>), tests and benchmarks. Same insert-only rules as the table store.</summary>
public sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly ConcurrentDictionary<string, OrderEntry> orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), FillRecord> fills = new();
    private readonly ConcurrentDictionary<(string, long), PositionSnapshot> positions = new();

    public Task<bool> TryAddOrderAsync(OrderRecord order, OrderEventRecord initialized, CancellationToken cancellationToken)
        => Task.FromResult(orders.TryAdd(order.ClientOrderId, new OrderEntry(order, initialized)));

    public Task<bool> TryAppendEventAsync(OrderEventRecord e, CancellationToken cancellationToken)
    {
        if (!orders.TryGetValue(e.ClientOrderId, out var entry)) return Task.FromResult(false);
        lock (entry)
        {
            if (e.Sequence != entry.Events.Count) return Task.FromResult(false);
            entry.Events.Add(e);
            return Task.FromResult(true);
        }
    }

    public Task<StoredOrder?> GetOrderAsync(string clientOrderId, CancellationToken cancellationToken)
        => Task.FromResult(orders.TryGetValue(clientOrderId, out var entry) ? entry.Snapshot() : null);

    public Task<bool> TryAddFillAsync(FillRecord fill, CancellationToken cancellationToken)
        => Task.FromResult(fills.TryAdd((fill.ClientOrderId, fill.TradeId), fill));

    public Task<IReadOnlyList<FillRecord>> FillsAsync(string clientOrderId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<FillRecord>>([.. fills.Values.Where(f => f.ClientOrderId == clientOrderId).OrderBy(f => f.At).ThenBy(f => f.TradeId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<FillRecord>> FillsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<FillRecord>>([.. fills.Values.Where(f => f.At >= since)]);

    public Task<bool> TryAddPositionAsync(PositionSnapshot snapshot, CancellationToken cancellationToken)
        => Task.FromResult(positions.TryAdd((snapshot.InstrumentKey, snapshot.Sequence), snapshot));

    public Task<IReadOnlyList<PositionSnapshot>> LatestPositionsAsync(CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<PositionSnapshot>>([.. positions.Values.GroupBy(p => p.InstrumentKey).Select(g => g.MaxBy(p => p.Sequence)!)]);

    public async IAsyncEnumerable<StoredOrder> OrdersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var entry in orders.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry.Snapshot();
        }
    }

    /// <summary>All fills, for reports and tests.</summary>
    public IReadOnlyList<FillRecord> AllFills => [.. fills.Values];

    private sealed class OrderEntry(OrderRecord order, OrderEventRecord initialized)
    {
        public readonly List<OrderEventRecord> Events = [initialized];

        public StoredOrder Snapshot()
        {
            lock (this) return new StoredOrder(order, [.. Events]);
        }
    }
}
