using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>
/// One router with every port scripted or recorded. Books: 99.95 / 100.05 (mid 100.00) on every instrument.
/// Limits: max 2 per order, 1,000 notional, 50 bps collar, <c>perSecond</c> orders a second, position 10, one position
/// per instrument, leverage 10, no duplicate window beyond the same instant.
/// </summary>
public sealed class RouterRig
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    public static readonly Instrument Spot = new(MarketKind.Spot, "ETHUSDT", 0.01m, 0.001m, 5m);
    public static readonly Instrument Perp = new(MarketKind.Futures, "ETHUSDT", 0.01m, 0.001m, 5m);
    /// <summary>On Binance, but not in the routed universe.</summary>
    public static readonly Instrument Outside = new(MarketKind.Spot, "SOLUSDT", 0.01m, 0.001m, 5m);
    public const string Rev = "cfg-41";

    public static RiskLimits Limits(int perSecond = 100) => new(MaxOrderQuantity: 2m, MaxOrderNotional: 1_000m, CollarBps: 50m, MaxOrdersPerSecond: perSecond,
        MaxPositionQuantity: 10m, MaxConcurrentPositions: 1, Leverage: 10m, DuplicateWindow: TimeSpan.Zero);

    private readonly int perSecond;

    public RouterRig(int perSecond = 100, RouterOptions? options = null)
    {
        Universe = new InstrumentTable([Spot, Perp]);
        Time = new ManualTime(T0);
        Store = new RecordingStore(new InMemoryExecutionStore());
        Channel = new ScriptedChannel(Time);
        Books = new FixedBooks(T0);
        Options = options ?? RouterOptions.For("PAPER");
        this.perSecond = perSecond;
        Risk = NewRisk(perSecond);
        Positions = new PositionBook(0.02m, 0.04m);
        Router = Build(Risk, Positions, Metrics);
    }

    public InstrumentTable Universe { get; }
    public ManualTime Time { get; }
    public RecordingStore Store { get; }
    public ScriptedChannel Channel { get; }
    public FixedBooks Books { get; }
    public StopSwitch Stop { get; } = new();
    public HealthBoard Health { get; } = new();
    public PreTradeRisk Risk { get; }
    public PositionBook Positions { get; }
    public RecordingJournal Journal { get; } = new();
    public RecordingSink Results { get; } = new();
    public ExecutionMetrics Metrics { get; } = new();
    public RouterOptions Options { get; }
    public OrderRouter Router { get; }

    /// <summary>Another router over the same store, channel and ports (a restart): fresh memory, risk and positions.</summary>
    public OrderRouter Restart(ExecutionMetrics metrics) => Build(NewRisk(perSecond), new PositionBook(0.02m, 0.04m), metrics);

    private OrderRouter Build(PreTradeRisk risk, PositionBook positions, ExecutionMetrics metrics)
        => new(Universe, Store, Channel, Stop, risk, Books, Health, positions, Journal, Results, metrics, Time, Options);

    private static PreTradeRisk NewRisk(int perSecond)
        => new(new Dictionary<Instrument, RiskLimits> { [Spot] = Limits(perSecond), [Perp] = Limits(perSecond) }, new GlobalRiskLimits(1_000, 1_000_000m));

    public Task<RouteResult> Route(OrderIntent intent) => Router.RouteAsync(intent, CancellationToken.None);

    public static OrderIntent Market(string id, OrderSide side = OrderSide.Buy, decimal qty = 1m, Instrument? on = null, decimal? stopLoss = null, decimal? takeProfit = null,
        string rev = Rev, bool reduceOnly = false)
        => new(id, on ?? Spot, side, OrderType.Market, qty, null, stopLoss, takeProfit, rev, T0, reduceOnly);

    public static OrderIntent Limit(string id, decimal price, OrderSide side = OrderSide.Buy, decimal qty = 1m, Instrument? on = null, string rev = Rev, bool reduceOnly = false)
        => new(id, on ?? Spot, side, OrderType.Limit, qty, price, null, null, rev, T0, reduceOnly);

    public static string Coid(string intentId) => ClientOrderId.For(intentId);

    public async Task<StoredOrder> Stored(string intentId) => await Store.GetOrderAsync(Coid(intentId), CancellationToken.None)
        ?? throw new Xunit.Sdk.XunitException($"{intentId} is not recorded");

    public async Task<int> StoredOrders()
    {
        var n = 0;
        await foreach (var _ in Store.OrdersAsync(CancellationToken.None)) n++;
        return n;
    }

    public Task<IReadOnlyList<FillRecord>> Fills(string intentId) => Store.FillsAsync(Coid(intentId), CancellationToken.None);

    public CohortMetrics Cohort(string rev = Rev) => Metrics.Snapshot().Single(c => c.ConfigRev == rev);

    /// <summary>The statuses of the order's events in order (INITIALIZED first).</summary>
    public async Task<OrderStatus[]> Statuses(string intentId) => [.. (await Stored(intentId)).Events.Select(e => e.Status)];
}
