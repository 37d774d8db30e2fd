using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;

namespace Tollgate.Governance.AzureStorage.Tests;

/// <summary>The governance table on Azurite: rows are only ever added, a taken key refuses the second writer, reads come back in key order.</summary>
public sealed class TableGovernanceTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<TableGovernanceTable> NewTableAsync() =>
        await TableGovernanceTable.CreateAsync(new TableServiceClient(azurite.ConnectionString), "gt" + Guid.NewGuid().ToString("N")[..12], CancellationToken.None);

    [Fact]
    public async Task A_taken_key_refuses_the_second_insert_and_keeps_the_first_content()
    {
        var table = await NewTableAsync();
        Assert.True(await table.TryInsertAsync("p", "r", """{"n":1}""", default));
        Assert.False(await table.TryInsertAsync("p", "r", """{"n":2}""", default));
        Assert.Equal("""{"n":1}""", (await table.GetAsync("p", "r", default))!.Json);
        Assert.Null(await table.GetAsync("p", "missing", default));
    }

    [Fact]
    public async Task Of_sixteen_concurrent_inserts_of_one_key_exactly_one_wins()
    {
        var table = await NewTableAsync();
        var won = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => table.TryInsertAsync("race", "0000000001", $$"""{"writer":{{i}}}""", default))));
        Assert.Single(won, inserted => inserted);
        Assert.Equal($$"""{"writer":{{Array.IndexOf(won, true)}}}""", (await table.GetAsync("race", "0000000001", default))!.Json);
    }

    [Fact]
    public async Task A_prefix_query_returns_only_that_prefix_in_key_order_up_to_the_limit()
    {
        var table = await NewTableAsync();
        foreach (var row in new[] { "b-2", "a-1", "ab-1", "a-3", "a-2" }) await table.TryInsertAsync("p", row, "{}", default);
        await table.TryInsertAsync("other", "a-0", "{}", default);

        Assert.Equal(["a-1", "a-2", "a-3"], (await table.QueryAsync("p", "a-", 10, default)).Select(record => record.Row));
        Assert.Equal(["a-1", "a-2"], (await table.QueryAsync("p", "a-", 2, default)).Select(record => record.Row));
        Assert.Equal(["a-1", "a-2", "a-3", "ab-1", "b-2"], (await table.QueryAsync("p", "", 10, default)).Select(record => record.Row));
    }

    [Fact]
    public async Task A_record_larger_than_one_property_round_trips_whole()
    {
        var table = await NewTableAsync();
        var json = $$"""{"big":"{{new string('x', 150_000)}}"}""";
        Assert.True(await table.TryInsertAsync("p", "big", json, default));
        Assert.Equal(json, (await table.GetAsync("p", "big", default))!.Json);
        Assert.Equal(json, (await table.QueryAsync("p", "", 1, default)).Single().Json);
    }
}
