using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>A clock that moves only when told to.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;
    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);
}

/// <summary>Fixed books: every instrument has the same three levels a side around a mid of 100.00 unless set otherwise.</summary>
public sealed class FixedBooks : IBookView
{
    public static readonly PriceLevel[] Bids = [new(99.95m, 1m), new(99.90m, 2m), new(99.85m, 3m)];
    public static readonly PriceLevel[] Asks = [new(100.05m, 1m), new(100.10m, 2m), new(100.15m, 3m)];
    /// <summary>How <see cref="Bids"/> and <see cref="Asks"/> read in a fill's book_top3.</summary>
    public const string Top3Text = "b99.95x1 b99.90x2 b99.85x3 a100.05x1 a100.10x2 a100.15x3";

    private readonly ConcurrentDictionary<Instrument, BookTop?> set = new(ReferenceEqualityComparer.Instance);
    private readonly DateTimeOffset at;

    public FixedBooks(DateTimeOffset at) => this.at = at;

    public void Set(Instrument instrument, PriceLevel[] bids, PriceLevel[] asks) => set[instrument] = new BookTop(instrument, 2, at, bids, asks);
    public void Unsynced(Instrument instrument) => set[instrument] = null;

    public BookTop? Top(Instrument instrument, int depth)
    {
        var top = set.TryGetValue(instrument, out var t) ? t : new BookTop(instrument, 1, at, Bids, Asks);
        return top is null ? null : top with { Bids = [.. top.Bids.Take(depth)], Asks = [.. top.Asks.Take(depth)] };
    }
}

/// <summary>The kill switch as a flag the test flips.</summary>
public sealed class StopSwitch : IStopSignal
{
    private volatile bool engaged;
    public bool IsEngaged { get => engaged; set => engaged = value; }
}

public sealed class HealthBoard : IHealthView
{
    public HealthLevel Level { get; set; } = HealthLevel.Green;
    public HealthLevel HealthOf(Instrument instrument) => Level;
}

/// <summary>Every execution log the router wrote, in order; <see cref="FailWhen"/> makes matching writes throw.</summary>
public sealed class RecordingJournal : IExecutionJournal
{
    private readonly ConcurrentQueue<ExecutionLog> logs = new();
    private int failed;

    public Func<ExecutionLog, bool>? FailWhen { get; set; }
    public IReadOnlyList<ExecutionLog> Logs => [.. logs];
    public int Failed => failed;

    public Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken)
    {
        if (FailWhen?.Invoke(log) == true)
        {
            Interlocked.Increment(ref failed);
            throw new ExecutionJournalException("the audit ledger is down");
        }
        logs.Enqueue(log);
        return Task.CompletedTask;
    }

    public IReadOnlyList<ExecutionLog> Of(string clientOrderId) => [.. logs.Where(l => l.ClientOrderId == clientOrderId)];
}

/// <summary>Every result the router published, in order; <see cref="Hold"/> can hold a publication.</summary>
public sealed class RecordingSink : IOrderResultSink
{
    private readonly ConcurrentQueue<RouteResult> results = new();
    public IReadOnlyList<RouteResult> Results => [.. results];
    public Func<RouteResult, Task>? Hold { get; set; }

    public async Task PublishAsync(RouteResult result, CancellationToken cancellationToken)
    {
        results.Enqueue(result);
        if (Hold is { } hold) await hold(result);
    }

    public IReadOnlyList<RouteResult> Of(string clientOrderId) => [.. results.Where(r => r.ClientOrderId == clientOrderId)];
}

/// <summary>
/// The in-memory store with eyes: every position snapshot offered, and a hook after each event that was appended
/// (to flip the kill switch exactly when SUBMITTED is recorded).
/// </summary>
public sealed class RecordingStore(InMemoryExecutionStore inner) : IExecutionStore
{
    private readonly ConcurrentQueue<PositionSnapshot> positions = new();

    public InMemoryExecutionStore Inner => inner;
    public Action<OrderEventRecord>? AfterAppend { get; set; }
    public IReadOnlyList<PositionSnapshot> PositionsOffered => [.. positions];

    public Task<bool> TryAddOrderAsync(OrderRecord order, OrderEventRecord initialized, CancellationToken cancellationToken) => inner.TryAddOrderAsync(order, initialized, cancellationToken);

    public async Task<bool> TryAppendEventAsync(OrderEventRecord e, CancellationToken cancellationToken)
    {
        var added = await inner.TryAppendEventAsync(e, cancellationToken);
        if (added) AfterAppend?.Invoke(e);
        return added;
    }

    public Task<StoredOrder?> GetOrderAsync(string clientOrderId, CancellationToken cancellationToken) => inner.GetOrderAsync(clientOrderId, cancellationToken);
    public Task<bool> TryAddFillAsync(FillRecord fill, CancellationToken cancellationToken) => inner.TryAddFillAsync(fill, cancellationToken);
    public Task<IReadOnlyList<FillRecord>> FillsAsync(string clientOrderId, CancellationToken cancellationToken) => inner.FillsAsync(clientOrderId, cancellationToken);
    public Task<IReadOnlyList<FillRecord>> FillsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) => inner.FillsSinceAsync(since, cancellationToken);

    public Task<bool> TryAddPositionAsync(PositionSnapshot snapshot, CancellationToken cancellationToken)
    {
        positions.Enqueue(snapshot);
        return inner.TryAddPositionAsync(snapshot, cancellationToken);
    }

    public Task<IReadOnlyList<PositionSnapshot>> LatestPositionsAsync(CancellationToken cancellationToken) => inner.LatestPositionsAsync(cancellationToken);

    public async IAsyncEnumerable<StoredOrder> OrdersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var o in inner.OrdersAsync(cancellationToken)) yield return o;
    }
}
