using System.Text.Json.Nodes;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Storage;
using Tollgate.Governance.Tests.Support;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Tests.Audit;

public sealed class AuditedStreamTests
{
    private const string Name = "test-stream";
    private static readonly CancellationToken None = CancellationToken.None;

    private static LedgerEntry Entry(string key, string step = "REQUEST", string actor = "op-ana") => LedgerEntry.Create(
        new LedgerEntryFields("approval", key, World.T0, actor, "corr-1", "Research", []),
        new JsonObject { ["approval_id"] = "ap-1", ["step"] = step, ["subject_ref"] = "s-1" });

    private static AuditedStream Stream(World world) => new(world.Table, world.Audit, Name);

    [Fact]
    public void Keys_are_the_stream_name_and_a_ten_digit_sequence()
    {
        var stream = new AuditedStream(new InMemoryGovernanceTable(), new SwitchableAuditLog(new LedgerAuditLog(() => null)), Name);
        Assert.Equal("test-stream:0000000001", stream.KeyOf(1));
        Assert.Equal("test-stream:0000000042", stream.KeyOf(42));
    }

    [Fact]
    public async Task Appends_take_consecutive_sequences_and_read_back_newest_first()
    {
        await using var world = await World.OpenAsync();
        var stream = Stream(world);
        var first = await stream.AppendAsync(0, key => Entry(key), None);
        var second = await stream.AppendAsync(1, key => Entry(key, "CHALLENGE"), None);

        Assert.Equal((1L, 2L), (first.Sequence, second.Sequence));
        Assert.Equal([2L, 1L], (await stream.ReadAsync(10, None)).Select(record => record.Sequence));
        Assert.Equal("CHALLENGE", (await stream.LatestAsync(None))!.Payload.GetProperty("step").GetString());
        Assert.Equal(second.LedgerIndex, world.Writer.Find(stream.KeyOf(2)));
    }

    [Fact]
    public async Task An_empty_stream_has_no_latest_record()
    {
        await using var world = await World.OpenAsync();
        Assert.Null(await Stream(world).LatestAsync(None));
        Assert.Empty(await Stream(world).ReadAsync(10, None));
    }

    [Fact]
    public async Task A_record_in_the_ledger_without_its_row_is_found_and_projected_by_the_next_read()
    {
        await using var world = await World.OpenAsync();
        var stream = Stream(world);
        var receipt = await world.Writer.AppendAsync(Entry("test-stream:0000000001"));
        Assert.Null(await world.Table.GetAsync(Name, RecordKeys.NewestFirst(1), None));

        var latest = await stream.LatestAsync(None);

        Assert.Equal((1L, receipt.Index), (latest?.Sequence, latest?.LedgerIndex));
        Assert.NotNull(await world.Table.GetAsync(Name, RecordKeys.NewestFirst(1), None));
        Assert.Equal(2, (await stream.AppendAsync(latest!.Sequence, key => Entry(key, "CHALLENGE"), None)).Sequence);
        Assert.Equal(2, world.LedgerSize);
    }

    [Fact]
    public async Task Several_records_missing_from_the_table_after_the_last_row_are_all_projected_in_order()
    {
        await using var world = await World.OpenAsync();
        var stream = Stream(world);
        await stream.AppendAsync(0, key => Entry(key), None);
        await world.Writer.AppendAsync(Entry(stream.KeyOf(2), "CHALLENGE"));
        await world.Writer.AppendAsync(Entry(stream.KeyOf(3), "CONFIRM"));

        var records = await stream.ReadAsync(10, None);

        Assert.Equal([3L, 2L, 1L], records.Select(record => record.Sequence));
        Assert.Equal(["CONFIRM", "CHALLENGE", "REQUEST"], records.Select(record => record.Payload.GetProperty("step").GetString()));
        Assert.Equal(3, (await world.Table.QueryAsync(Name, "", 10, None)).Count);
        Assert.Equal([3L], (await stream.ReadAsync(1, None)).Select(record => record.Sequence));
    }

    [Fact]
    public async Task Two_appends_for_the_same_sequence_give_one_record_and_one_conflict()
    {
        await using var world = await World.OpenAsync();
        var stream = Stream(world);
        await stream.AppendAsync(0, key => Entry(key), None);

        var outcomes = await Task.WhenAll(
            Task.Run(() => Record.ExceptionAsync(() => stream.AppendAsync(1, key => Entry(key, "CHALLENGE", "trader-ben"), None))),
            Task.Run(() => Record.ExceptionAsync(() => stream.AppendAsync(1, key => Entry(key, "VETO", "trader-cy"), None))));

        Assert.Single(outcomes, outcome => outcome is null);
        var conflict = Assert.IsType<StreamConflictException>(Assert.Single(outcomes, outcome => outcome is not null));
        Assert.Equal((Name, 2L), (conflict.Stream, conflict.Sequence));
        Assert.Equal(2, world.LedgerSize);
        Assert.Equal([2L, 1L], (await stream.ReadAsync(10, None)).Select(record => record.Sequence));
    }

    [Fact]
    public async Task An_append_based_on_a_stale_sequence_is_a_conflict()
    {
        await using var world = await World.OpenAsync();
        var stream = Stream(world);
        await stream.AppendAsync(0, key => Entry(key), None);
        await stream.AppendAsync(1, key => Entry(key, "CHALLENGE"), None);

        await Assert.ThrowsAsync<StreamConflictException>(() => stream.AppendAsync(1, key => Entry(key, "VETO", "trader-cy"), None));
        Assert.Equal(2, world.LedgerSize);
    }

    [Fact]
    public async Task An_entry_built_for_another_key_is_refused()
    {
        await using var world = await World.OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => Stream(world).AppendAsync(0, _ => Entry("test-stream:0000000002"), None));
        Assert.Equal(0, world.LedgerSize);
    }

    [Fact]
    public async Task An_append_the_ledger_refuses_takes_no_effect()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await Refused.WithAsync(GovernanceReasons.AuditUnavailable, () => Stream(world).AppendAsync(0, key => Entry(key), None));
        Assert.Empty(await world.Table.QueryAsync(Name, "", 10, None));
    }
}
