using System.Collections.Concurrent;
using System.Diagnostics;
using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;
using Xunit.Abstractions;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>
/// Issue 6's kill switch under load: eight instrument lanes route orders as fast as they can; the switch is turned on
/// in the middle. No channel call ever follows a look at the switch that saw it on (the look is the statement before
/// the call, tracked per call by an AsyncLocal), only calls whose look came before the switch can still start after
/// it (at most one per lane), and every intent routed after it is REJECTED with EXE-KILL.
/// </summary>
public sealed class KillSwitchUnderLoadTests(ITestOutputHelper output)
{
    private const int Lanes = 8;

    [Fact]
    public async Task Once_the_switch_is_on_no_order_is_sent_after_a_look_that_saw_it_and_every_later_intent_is_refused_with_EXE_KILL()
    {
        var instruments = Enumerable.Range(0, Lanes).Select(i => new Instrument(i % 2 == 0 ? MarketKind.Spot : MarketKind.Futures, $"SYM{i}USDT", 0.01m, 0.001m, 1m)).ToArray();
        var universe = new InstrumentTable(instruments);
        var limits = new RiskLimits(10m, 1_000_000m, 100m, 1_000_000, 1_000_000m, 1_000_000, 10m, TimeSpan.Zero);
        var stop = new ObservedStop();
        var channel = new CountingChannel(stop);
        var store = new InMemoryExecutionStore();
        var router = new OrderRouter(universe, store, channel, stop,
            new PreTradeRisk(instruments.ToDictionary(i => i, _ => limits, (IEqualityComparer<Instrument>)ReferenceEqualityComparer.Instance), new GlobalRiskLimits(1_000_000, 1_000_000_000m)),
            new Books(), new Green(), new PositionBook(0.5m, 0.5m), new RecordingJournal(), new RecordingSink(), new ExecutionMetrics(), TimeProvider.System,
            RouterOptions.For("PAPER"));

        var routedAfter = new ConcurrentBag<(string IntentId, RouteResult Result)>();
        using var done = new CancellationTokenSource();
        var lanes = instruments.Select((instrument, lane) => Task.Run(async () =>
        {
            for (var n = 0; !done.IsCancellationRequested; n++)
            {
                var startedAfterSwitch = stop.EngagedAt is not null;
                var intent = new OrderIntent($"load:{lane}:{n}", instrument, OrderSide.Buy, OrderType.Market, 0.01m, null, null, null, "rev-load", DateTimeOffset.UtcNow);
                var result = await router.RouteAsync(intent, CancellationToken.None);
                if (startedAfterSwitch) routedAfter.Add((intent.IntentId, result));
            }
        })).ToArray();

        while (channel.Calls < 2_000) await Task.Delay(5);
        stop.Engage();
        while (routedAfter.Count < 2_000) await Task.Delay(5);
        done.Cancel();
        await Task.WhenAll(lanes);

        Assert.Equal(0, channel.CallsAfterAnEngagedLook);
        Assert.True(channel.CallsStartedAfterEngage <= Lanes, $"{channel.CallsStartedAfterEngage} channel calls started after the switch (at most one in flight per lane)");
        Assert.All(routedAfter, r => Assert.True(r.Result.Status == OrderStatus.Rejected && r.Result.Reason == ExecutionReasons.Kill,
            $"{r.IntentId} routed after the switch: {r.Result.Status.Code()} {r.Result.Reason}"));
        foreach (var (intentId, _) in routedAfter.Take(200))
            Assert.Equal(OrderStatus.Rejected, (await store.GetOrderAsync(ClientOrderId.For(intentId), CancellationToken.None))!.Status);
        output.WriteLine($"{channel.Calls} orders sent before the switch; {channel.CallsStartedAfterEngage} call(s) already past their look started after it, " +
            $"the last {channel.LastCallAfterEngage.TotalMicroseconds:0} µs after it; {routedAfter.Count} later intents refused with EXE-KILL");
    }

    /// <summary>The switch, with every look recorded in the caller's async flow.</summary>
    private sealed class ObservedStop : IStopSignal
    {
        private volatile bool engaged;
        private long engagedAt;
        public static readonly AsyncLocal<bool> LastLookSawEngaged = new();
        public long? EngagedAt => Interlocked.Read(ref engagedAt) is var t && t != 0 ? t : null;

        public void Engage()
        {
            Interlocked.Exchange(ref engagedAt, Stopwatch.GetTimestamp());
            engaged = true;
        }

        public bool IsEngaged
        {
            get
            {
                var now = engaged;
                LastLookSawEngaged.Value = now;
                return now;
            }
        }
    }

    /// <summary>Fills every order at once, and counts what no call may be: one right after a look that saw the switch on.</summary>
    private sealed class CountingChannel(ObservedStop stop) : IOrderChannel
    {
        private long calls, afterEngagedLook, startedAfterEngage, lastAfterEngage;
        public string Name => "counting";
        public long Calls => Interlocked.Read(ref calls);
        public long CallsAfterAnEngagedLook => Interlocked.Read(ref afterEngagedLook);
        public long CallsStartedAfterEngage => Interlocked.Read(ref startedAfterEngage);
        public TimeSpan LastCallAfterEngage => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref lastAfterEngage));

        public Task<ChannelResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref calls);
            if (ObservedStop.LastLookSawEngaged.Value) Interlocked.Increment(ref afterEngagedLook);
            if (stop.EngagedAt is { } at && now >= at)
            {
                Interlocked.Increment(ref startedAfterEngage);
                Interlocked.Exchange(ref lastAfterEngage, now - at);
            }
            var fill = new ChannelFill($"t-{request.ClientOrderId}", request.Quantity, 100m, 0m, "USDT", false, DateTimeOffset.UtcNow);
            return Task.FromResult(ChannelResult.Known(new ChannelOrder(request.ClientOrderId, "1", request.Instrument, request.Side, request.Type, OrderStatus.Filled,
                request.Quantity, null, request.Quantity, request.Quantity * 100m, [fill], DateTimeOffset.UtcNow)));
        }

        public Task<ChannelOrder?> QueryAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken) => Task.FromResult<ChannelOrder?>(null);
        public Task<ChannelResult> CancelAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken) => Task.FromResult(ChannelResult.Rejected(ChannelReasons.Rejected, "none"));
        public Task<IReadOnlyList<ChannelOrder>> OpenOrdersAsync(Instrument instrument, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChannelOrder>>([]);
        public Task<IReadOnlyList<ChannelFill>> FillsAsync(Instrument instrument, DateTimeOffset since, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChannelFill>>([]);
        public Task<IReadOnlyList<ChannelHolding>> HoldingsAsync(MarketKind market, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChannelHolding>>([]);
    }

    private sealed class Books : IBookView
    {
        public BookTop? Top(Instrument instrument, int depth) => new(instrument, 1, DateTimeOffset.UtcNow, [new PriceLevel(99.99m, 100m)], [new PriceLevel(100.01m, 100m)]);
    }

    private sealed class Green : IHealthView
    {
        public HealthLevel HealthOf(Instrument instrument) => HealthLevel.Green;
    }
}
