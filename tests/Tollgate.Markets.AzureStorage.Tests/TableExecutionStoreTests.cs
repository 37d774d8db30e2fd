using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Markets.Execution;

namespace Tollgate.Markets.AzureStorage.Tests;

/// <summary>
/// The conformance suite against <see cref="TableExecutionStore"/> on a real Azurite (its own task hub per store), and
/// what only a table store has: times come back in UTC, and a second store over the same tables (a restart) reads
/// what the first wrote.
/// </summary>
public sealed class TableExecutionStoreTests(AzuriteFixture azurite) : ExecutionStoreConformance, IClassFixture<AzuriteFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private TableServiceClient Service => new(azurite.ConnectionString);

    protected override async Task<IExecutionStore> NewStoreAsync() => await TableExecutionStore.CreateAsync(Service, AzuriteFixture.NewTaskHub("xs"), None);

    [Fact]
    public Task An_event_for_an_unrecorded_order_is_refused_and_does_not_block_the_order() => AnEventForAnUnrecordedOrderIsRefusedAndDoesNotBlockTheOrder();

    [Fact]
    public async Task Times_come_back_as_the_same_instant_in_UTC()
    {
        var store = await NewStoreAsync();
        var order = FullOrder("utc");
        Assert.NotEqual(TimeSpan.Zero, order.DecidedAt.Offset);
        Assert.True(await store.TryAddOrderAsync(order, Initialized(order), None));
        Assert.True(await store.TryAddFillAsync(Fill(order.ClientOrderId, "1", T0), None));
        Assert.True(await store.TryAddPositionAsync(Position("SPOT:BTCUSDT", 1), None));

        var stored = (await store.GetOrderAsync(order.ClientOrderId, None))!;
        Assert.Equal(order.DecidedAt.UtcDateTime, stored.Order.DecidedAt.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, stored.Order.DecidedAt.Offset);
        Assert.Equal(TimeSpan.Zero, stored.Order.RoutedAt.Offset);
        Assert.Equal(TimeSpan.Zero, stored.Events[0].At.Offset);
        var fill = Assert.Single(await store.FillsAsync(order.ClientOrderId, None));
        Assert.Equal((T0.UtcTicks, TimeSpan.Zero), (fill.At.UtcTicks, fill.At.Offset));
        var position = Assert.Single(await store.LatestPositionsAsync(None));
        Assert.Equal(TimeSpan.Zero, position.At.Offset);
    }

    [Fact]
    public async Task A_second_store_over_the_same_tables_reads_everything_the_first_wrote_and_refuses_its_keys()
    {
        var hub = AzuriteFixture.NewTaskHub("xs");
        var first = await TableExecutionStore.CreateAsync(Service, hub, None);
        var order = FullOrder("restart");
        Assert.True(await first.TryAddOrderAsync(order, Initialized(order), None));
        Assert.True(await first.TryAppendEventAsync(Event(order.ClientOrderId, 1), None));
        var fill = Fill(order.ClientOrderId, "77", T0);
        Assert.True(await first.TryAddFillAsync(fill, None));
        var position = Position("SPOT:BTCUSDT", 3);
        Assert.True(await first.TryAddPositionAsync(position, None));

        var second = await TableExecutionStore.CreateAsync(Service, hub, None);
        var stored = (await second.GetOrderAsync(order.ClientOrderId, None))!;
        Assert.Equal(Canon.Of(new StoredOrder(order, [Initialized(order), Event(order.ClientOrderId, 1)])), Canon.Of(stored));
        Assert.Equal(Canon.Of(new[] { fill }), Canon.Of(await second.FillsAsync(order.ClientOrderId, None)));
        Assert.Equal(Canon.Of(new[] { position }), Canon.Of(await second.LatestPositionsAsync(None)));
        Assert.False(await second.TryAddOrderAsync(order, Initialized(order), None));
        Assert.False(await second.TryAppendEventAsync(Event(order.ClientOrderId, 1), None));
        Assert.False(await second.TryAddFillAsync(fill, None));
        Assert.False(await second.TryAddPositionAsync(position, None));
    }
}
