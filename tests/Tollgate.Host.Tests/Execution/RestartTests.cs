using System.Text.Json;
using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Process;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.AzureStorage;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// A Paper host killed for real (SIGKILL, a real process on Azurite) while its strategy trades — market orders
/// filling, limit orders resting — and a new host on the same storage: its startup reconciliation agrees with the
/// Paper venue it rebuilt, nothing stays in flight, its positions are what its fills add up to, and it trades on.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class RestartTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("tollgate-exe-restart-").FullName;

    /// <summary>
    /// Killed between routing steps: the market data is frozen first (the fake's connections stop sending; the host's
    /// idle timeout is 60 s), so no decision, no resting fill and no routing step runs when the SIGKILL lands, while
    /// limit orders rest open at the Paper venue and positions are held.
    /// </summary>
    [Fact]
    public Task After_a_SIGKILL_with_limit_orders_resting_a_new_host_reconciles_PASS_keeps_positions_and_trades_on()
        => KillAndRestartAsync(midRouting: false);

    /// <summary>Killed the moment the store shows an order mid-routing (INITIALIZED or SUBMITTED): the crash windows of <see cref="CrashWindowTests"/>, by a real SIGKILL.</summary>
    [Fact]
    public Task After_a_SIGKILL_with_an_order_mid_routing_a_new_host_reconciles_PASS_settles_it_and_trades_on()
        => KillAndRestartAsync(midRouting: true);

    private async Task KillAndRestartAsync(bool midRouting)
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6401);
        var tokens = new TestTokens();
        var taskHub = AzuriteFixture.NewTaskHub("exe");
        var environment = ExecutionHost.PaperProcess(exchange, azurite.ConnectionString, taskHub, dataDir, tokens);
        var operatorToken = tokens.For(ExecutionHost.Operator, Role.Operator);
        var store = await TableExecutionStore.CreateAsync(new TableServiceClient(azurite.ConnectionString), taskHub, CancellationToken.None);

        // The first host: the busy rules active on Paper, trading until orders have filled and some rest.
        string rev;
        long decisionsBefore;
        var first = await HostProcess.StartAsync(environment);
        try
        {
            using var operatorHttp = ExecutionHost.Client(first.Endpoint, operatorToken);
            using var traderHttp = ExecutionHost.Client(first.Endpoint, tokens.For(ExecutionHost.Trader, Role.Trader));
            await operatorHttp.WaitForRoutingAsync();
            rev = await ExecutionHost.TradeOnPaperAsync(operatorHttp, traderHttp, ExecutionHost.BusyRules, "restart");
            var trading = await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync,
                e => e.Cohort(rev).Count("fills") >= 8 && e.GetProperty("openOrders").GetArrayLength() >= 2 && e.GetProperty("positions").GetArrayLength() == 2,
                "the first host trading: fills, resting orders and both positions", TimeSpan.FromSeconds(60));
            decisionsBefore = trading.GetProperty("decisions").GetInt64();
            output.WriteLine($"before the kill: {decisionsBefore} decisions, open orders {trading.GetProperty("openOrders")}, cohort {trading.Cohort(rev)}");
            if (midRouting)
                await ExecutionHost.WaitForAsync(async () => JsonSerializer.SerializeToElement((await OrdersAsync(store)).Any(o => o.Status is OrderStatus.Initialized or OrderStatus.Submitted)),
                    busy => busy.GetBoolean(), "an order mid-routing");
            else
            {
                exchange.FreezeConnections();
                await WaitForQuietAsync(store);
            }
        }
        finally
        {
            await first.DisposeAsync(); // SIGKILL: no shutdown code runs
        }
        var killedAt = DateTimeOffset.UtcNow;
        var left = await OrdersAsync(store);
        output.WriteLine($"left by the killed host: {left.Count} orders, " +
                         string.Join(", ", left.GroupBy(o => o.Status.Code()).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
        // Killed while quiet, limit orders were resting; killed mid-routing, they may all have filled by then.
        if (!midRouting) Assert.Contains(left, o => o.Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled);

        // The second host on the same storage.
        await using var second = await HostProcess.StartAsync(environment);
        using var http = ExecutionHost.Client(second.Endpoint, operatorToken);
        JsonElement started;
        try
        {
            started = await http.WaitForRoutingAsync();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nsecond host:\n{second.Output}");
        }

        // Its startup reconciliation: PASS against the Paper venue it rebuilt from the store, and in the ledger.
        var startup = started.GetProperty("lastReconciliation");
        output.WriteLine($"startup reconciliation: {startup}");
        output.WriteLine(string.Join('\n', second.Output.Split('\n').Where(l => l.Contains("Paper channel restored") || l.Contains("Paper restore") || l.Contains("startup reconciliation"))));
        Assert.True(startup.GetProperty("result").GetString() == "PASS", $"startup reconciliation after the restart: {startup}");
        Assert.Empty(startup.GetProperty("differences").EnumerateArray());
        Assert.True(startup.GetProperty("at").GetDateTimeOffset() > killedAt);
        var entry = await http.LedgerEntryAsync($"reconciliation:{startup.GetProperty("id").GetString()}");
        Assert.Equal("startup", entry.GetProperty("payload").GetProperty("trigger").GetString());
        Assert.Equal("PASS", entry.GetProperty("payload").GetProperty("result").GetString());
        Assert.False((await (await http.GetAsync("/api/kill-switch/Paper")).ReadOkAsync("kill switch")).GetProperty("engaged").GetBoolean());

        // Nothing stays in flight: every order the killed host left SUBMITTED (or never sent) is settled.
        var unsettled = await ExecutionHost.WaitForAsync(async () =>
            {
                var orders = await OrdersAsync(store);
                return JsonSerializer.SerializeToElement(orders.Where(o => o.Order.RoutedAt < killedAt && o.Status is OrderStatus.Submitted or OrderStatus.Initialized)
                    .Select(o => $"{o.Order.ClientOrderId} {o.Status.Code()}").ToList());
            }, left => left.GetArrayLength() == 0, "no order of the killed host left SUBMITTED or INITIALIZED");

        // Routing resumes: the strategy decides again and new orders are sent (not refused).
        var resumed = await ExecutionHost.WaitForAsync(http.ExecutionAsync, e => e.GetProperty("decisions").GetInt64() >= 4, "four decisions on the new host");
        Assert.Equal(rev, resumed.GetProperty("rulesRev").GetString());
        var sentAfter = await ExecutionHost.WaitForAsync(async () =>
            {
                var orders = await OrdersAsync(store);
                return JsonSerializer.SerializeToElement(orders.Count(o => o.Order.RoutedAt > killedAt && o.Events.Any(e => e.Status == OrderStatus.Submitted)));
            }, n => n.GetInt32() >= 2, "orders sent by the new host");

        // Its positions are what the recorded fills add up to (read around the positions, until no fill lands in between).
        string? mismatch = null;
        try
        {
            await ExecutionHost.WaitForAsync(async () =>
            {
                var fillsBefore = await store.FillsSinceAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
                var positions = (await http.ExecutionAsync()).GetProperty("positions").EnumerateArray()
                    .ToDictionary(p => p.GetProperty("instrumentKey").GetString()!, p => p.GetProperty("quantity").GetDecimal());
                var fillsAfter = await store.FillsSinceAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
                if (fillsAfter.Count != fillsBefore.Count) return JsonSerializer.SerializeToElement(false);
                var implied = fillsAfter.GroupBy(f => f.InstrumentKey).ToDictionary(g => g.Key, g => g.Sum(f => f.Side == OrderSide.Buy ? f.Quantity : -f.Quantity));
                var keys = implied.Keys.Union(positions.Keys).Order().ToList();
                mismatch = string.Join("; ", keys.Where(k => implied.GetValueOrDefault(k) != positions.GetValueOrDefault(k))
                    .Select(k => $"{k}: fills {implied.GetValueOrDefault(k)}, position {positions.GetValueOrDefault(k)}"));
                return JsonSerializer.SerializeToElement(mismatch.Length == 0);
            }, ok => ok.GetBoolean(), "the positions equal the recorded fills", TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"positions after the restart are not what the recorded fills imply: {mismatch}");
        }
        output.WriteLine($"after the restart: {resumed.GetProperty("decisions").GetInt64()}+ decisions, {sentAfter.GetInt32()}+ orders sent, positions {resumed.GetProperty("positions")}");
        Assert.Equal(0, unsettled.GetArrayLength());
    }

    /// <summary>
    /// Until nothing is between two routing steps, twice in a row a second apart: no order INITIALIZED or SUBMITTED, and
    /// every recorded fill has its position snapshot (the latest snapshots' sequences add up to the fills).
    /// </summary>
    private static Task WaitForQuietAsync(IExecutionStore store)
    {
        string? last = null;
        return ExecutionHost.WaitForAsync(async () =>
        {
            var orders = await OrdersAsync(store);
            var fills = await store.FillsSinceAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
            var snapshots = (await store.LatestPositionsAsync(CancellationToken.None)).Sum(p => p.Sequence);
            var busy = orders.Any(o => o.Status is OrderStatus.Initialized or OrderStatus.Submitted) || snapshots != fills.Count;
            var state = $"{orders.Count} orders, {string.Join(" ", orders.Select(o => o.Events.Count))}, {fills.Count} fills, {snapshots} snapshots";
            var quiet = !busy && state == last;
            last = state;
            if (!quiet) await Task.Delay(1000);
            return JsonSerializer.SerializeToElement(quiet);
        }, quiet => quiet.GetBoolean(), "the order path quiet");
    }

    private static async Task<List<StoredOrder>> OrdersAsync(IExecutionStore store)
    {
        var orders = new List<StoredOrder>();
        await foreach (var order in store.OrdersAsync(CancellationToken.None)) orders.Add(order);
        return orders;
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }
}
