extern alias fake;

using Azure.Data.Tables;
using fake::Tollgate.FakeExchange;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.AzureStorage;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// Where a SIGKILL can land on the order path, made exact: the execution store on Azurite is given what a Paper host
/// killed at that statement leaves behind (nothing else), then a host starts on it. A SIGKILL of a real process
/// lands in these windows only by chance (<see cref="RestartTests"/>); each is a few milliseconds of every order.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class CrashWindowTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string Rev = "rules-crashwindow0001";

    [Fact]
    public async Task Killed_after_SUBMITTED_before_the_Paper_venue_answered_the_restart_reconciles_PASS_and_ends_the_order_not_found()
    {
        var (hub, store) = await StoreAsync();
        var intentId = "crash-after-submitted";
        var order = Order(intentId, "SPOT:BTCUSDT", OrderSide.Buy, 0.0002m);
        await SeedAsync(store, order, OrderStatus.Submitted);

        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6501);
        using var host = Host(exchange, hub);
        var http = host.As(ExecutionHost.Operator, Role.Operator);
        var started = await http.WaitForRoutingAsync();
        var startup = started.GetProperty("lastReconciliation");
        output.WriteLine($"startup reconciliation: {startup}");
        Assert.True(startup.GetProperty("result").GetString() == "PASS", $"startup reconciliation: {startup}");

        // The Paper venue never had it (its memory went with the process): the in-flight check asks, is told so, and ends it.
        var ended = await http.WaitForEndedOrderAsync(intentId);
        Assert.Equal("REJECTED", ended.GetProperty("status").GetString());
        Assert.Equal(ExecutionReasons.NotFound, ended.GetProperty("events")[ended.GetProperty("events").GetArrayLength() - 1].GetProperty("reason").GetString());
        Assert.False((await (await http.GetAsync("/api/kill-switch/Paper")).ReadOkAsync("kill switch")).GetProperty("engaged").GetBoolean());
    }

    [Fact]
    public async Task Killed_after_the_order_record_before_SUBMITTED_the_restart_ends_the_unsent_order()
    {
        var (hub, store) = await StoreAsync();
        var intentId = "crash-before-submitted";
        var order = Order(intentId, "SPOT:BTCUSDT", OrderSide.Buy, 0.0002m);
        await SeedAsync(store, order, OrderStatus.Initialized);

        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6502);
        using var host = Host(exchange, hub);
        var http = host.As(ExecutionHost.Operator, Role.Operator);
        var started = await http.WaitForRoutingAsync();
        output.WriteLine($"startup reconciliation: {started.GetProperty("lastReconciliation")}");
        Assert.Equal("PASS", started.GetProperty("lastReconciliation").GetProperty("result").GetString());

        // Never sent (SUBMITTED is written before the call), so nothing can be in doubt: it should end, not stay open for ever.
        var settled = await ExecutionHost.WaitForAsync(http.ExecutionAsync,
            e => !e.GetProperty("openOrders").EnumerateArray().Any(o => o.GetString() == order.ClientOrderId),
            "the unsent order no longer open", TimeSpan.FromSeconds(20));
        var shown = (await http.OrderAsync(intentId))!.Value;
        output.WriteLine($"order: {shown}");
        Assert.NotEqual("INITIALIZED", shown.GetProperty("status").GetString());
        Assert.DoesNotContain("SUBMITTED", shown.EventStatuses());
        Assert.Empty(shown.GetProperty("fills").EnumerateArray());
        Assert.Equal(0, settled.GetProperty("openOrders").GetArrayLength());
    }

    [Fact]
    public async Task Killed_after_a_fill_was_recorded_before_its_position_snapshot_the_restart_counts_the_fill_in_the_position()
    {
        var (hub, store) = await StoreAsync();
        var intentId = "crash-after-fill";
        var order = Order(intentId, "FUT:BTCUSDT", OrderSide.Sell, 0.002m);
        await SeedAsync(store, order, OrderStatus.Submitted);
        // The venue filled it; the router recorded the fill, and the process died before the position snapshot (and the FILLED event).
        await store.TryAddFillAsync(new FillRecord(order.ClientOrderId, intentId, "1", "FUT:BTCUSDT", OrderSide.Sell, 0.002m, 65000.0m, 0.052m, "USDT", false,
            order.RoutedAt, order.MidAtSend, order.BookTop3, 0.7692m, Rev), CancellationToken.None);

        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6503);
        using var host = Host(exchange, hub);
        var http = host.As(ExecutionHost.Operator, Role.Operator);
        var started = await http.WaitForRoutingAsync();
        var startup = started.GetProperty("lastReconciliation");
        output.WriteLine($"startup reconciliation: {startup}");
        output.WriteLine($"positions: {started.GetProperty("positions")}");
        var position = started.GetProperty("positions").EnumerateArray()
            .Where(p => p.GetProperty("instrumentKey").GetString() == "FUT:BTCUSDT").Select(p => p.GetProperty("quantity").GetDecimal()).FirstOrDefault();
        Assert.True(position == -0.002m, $"the FUT:BTCUSDT position is {position}; its one recorded fill sold 0.002");
        Assert.True(startup.GetProperty("result").GetString() == "PASS", $"startup reconciliation: {startup}");
        var ended = await http.WaitForEndedOrderAsync(intentId);
        Assert.Equal("FILLED", ended.GetProperty("status").GetString());
    }

    private async Task<(string Hub, TableExecutionStore Store)> StoreAsync()
    {
        var hub = AzuriteFixture.NewTaskHub("crash");
        return (hub, await TableExecutionStore.CreateAsync(new TableServiceClient(azurite.ConnectionString), hub, CancellationToken.None));
    }

    private HostFactory Host(FakeExchange exchange, string hub) =>
        new HostFactory().Paper(exchange).With("AzureWebJobsStorage", azurite.ConnectionString).With("TOLLGATE_TASK_HUB", hub);

    private static OrderRecord Order(string intentId, string instrumentKey, OrderSide side, decimal quantity)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        var mid = instrumentKey.StartsWith("FUT", StringComparison.Ordinal) ? 65005.0m : 65000.0m;
        return new OrderRecord(intentId, ClientOrderId.For(intentId), instrumentKey, side, OrderType.Market, quantity, null, null, null, false, Rev, "Paper", "paper",
            at, at, mid, $"b{mid - 1}x0.5 a{mid + 1}x0.5");
    }

    /// <summary>The order and its events as the router writes them up to <paramref name="last"/> (INITIALIZED, then SUBMITTED).</summary>
    private static async Task SeedAsync(IExecutionStore store, OrderRecord order, OrderStatus last)
    {
        Assert.True(await store.TryAddOrderAsync(order, new OrderEventRecord(order.ClientOrderId, 0, OrderStatus.Initialized, order.RoutedAt, null,
            $"idempotency:new; validation:OK; kill:off; risk:PASS qty={order.Quantity} health=Green; send", 0, null, null), CancellationToken.None));
        if (last == OrderStatus.Submitted)
            Assert.True(await store.TryAppendEventAsync(new OrderEventRecord(order.ClientOrderId, 1, OrderStatus.Submitted, order.RoutedAt, null, "sent to paper", 0, null, null),
                CancellationToken.None));
    }
}
