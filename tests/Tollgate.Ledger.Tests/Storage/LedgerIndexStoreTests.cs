using Tollgate.Ledger.Index;

namespace Tollgate.Ledger.Tests.Storage;

public abstract class LedgerIndexStoreTests
{
    protected abstract LedgerIndexStore Index { get; }

    protected static IndexedEntry Row(long index, string? key = null, string correlation = "c", int second = 0) => new(
        index, key ?? $"k-{index}", "approval", correlation, LedgerTestKit.T0.AddSeconds(second), new string('a', 64), 0, index * 10, 9);

    [Fact]
    public async Task An_empty_index_has_nothing()
    {
        Assert.Equal(0, await Index.GetIndexedSizeAsync(default));
        Assert.Null(await Index.FindByKeyAsync("k-0", default));
        Assert.Null(await Index.GetAsync(0, default));
        Assert.Empty(await LedgerTestKit.RowsAsync(Index));
    }

    [Fact]
    public async Task Rows_are_found_by_key_index_correlation_and_time()
    {
        await Index.AddAsync([Row(0, correlation: "x", second: 0), Row(1, correlation: "y", second: 5), Row(2, correlation: "x", second: 10)], default);
        await Index.AddAsync([Row(3, correlation: "x", second: 15)], default);

        Assert.Equal(Row(1, correlation: "y", second: 5), await Index.FindByKeyAsync("k-1", default));
        Assert.Equal(Row(3, correlation: "x", second: 15), await Index.GetAsync(3, default));
        Assert.Equal([0L, 2, 3], (await Index.FindByCorrelationAsync("x", 10, default)).Select(row => row.Index));
        Assert.Equal([0L, 2], (await Index.FindByCorrelationAsync("x", 2, default)).Select(row => row.Index));
        Assert.Equal([1L, 2], (await Index.FindByTimeAsync(LedgerTestKit.T0.AddSeconds(5), LedgerTestKit.T0.AddSeconds(15), 10, default)).Select(row => row.Index));
        Assert.Empty(await Index.FindByTimeAsync(LedgerTestKit.T0.AddSeconds(16), LedgerTestKit.T0.AddSeconds(99), 10, default));
        Assert.Empty(await Index.FindByCorrelationAsync("z", 10, default));
    }

    [Fact]
    public async Task The_indexed_size_is_what_was_last_set()
    {
        await Index.SetIndexedSizeAsync(42, default);
        await Index.SetIndexedSizeAsync(7, default);

        Assert.Equal(7, await Index.GetIndexedSizeAsync(default));
    }

    [Fact]
    public async Task Every_row_is_read_back_with_all_its_fields()
    {
        await Index.AddAsync([Row(0), Row(1)], default);

        var records = await LedgerTestKit.RowsAsync(Index);

        Assert.Equal([IndexRecord.Of(Row(0), ""), IndexRecord.Of(Row(1), "")], records.Select(record => record with { Source = "" }));
        Assert.All(records, record => Assert.False(string.IsNullOrEmpty(record.Source)));
    }

    [Fact]
    public async Task Adding_a_row_again_is_harmless()
    {
        await Index.AddAsync([Row(0), Row(1)], default);
        await Index.AddAsync([Row(1)], default);

        Assert.Equal(Row(1), await Index.FindByKeyAsync("k-1", default));
        Assert.Equal([0L, 1], (await Index.FindByCorrelationAsync("c", 10, default)).Select(row => row.Index).Distinct());
    }
}

public sealed class InMemoryLedgerIndexTests : LedgerIndexStoreTests
{
    private readonly InMemoryLedgerIndex index = new();

    protected override LedgerIndexStore Index => index;

    [Fact]
    public async Task Replace_changes_a_row_as_raw_storage_access_could()
    {
        await index.AddAsync([Row(0)], default);

        index.Replace(Row(0) with { Kind = "bundle" });

        Assert.Equal("bundle", (await index.GetAsync(0, default))!.Kind);
    }
}

public sealed class DirectoryLedgerIndexTests : LedgerIndexStoreTests, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly DirectoryLedgerIndex index;

    public DirectoryLedgerIndexTests() => index = new DirectoryLedgerIndex(folder.Path);

    protected override LedgerIndexStore Index => index;

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Rows_are_json_lines_in_the_ledger_folder()
    {
        await index.AddAsync([Row(0), Row(1)], default);
        await index.SetIndexedSizeAsync(2, default);

        var lines = File.ReadAllLines(RowsPath);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"index\":1,\"key\":\"k-1\",", lines[1]);
        Assert.Equal("2", File.ReadAllText(Path.Combine(folder.Path, DirectoryLedgerIndex.IndexedSizeFile)));
        Assert.Equal(Row(1), await new DirectoryLedgerIndex(folder.Path).GetAsync(1, default));
    }

    [Fact]
    public async Task Rows_are_named_by_their_line_not_by_a_stored_label()
    {
        var keyRow = new IndexRecord("key row 3f2a", 5, Key: "k-5");
        await index.AppendRecordsAsync([keyRow, IndexRecord.Of(Row(5), "entry row 5")], default);

        var records = await LedgerTestKit.RowsAsync(index);

        Assert.DoesNotContain("row 3f2a", File.ReadAllText(RowsPath));
        Assert.DoesNotContain("source", File.ReadAllText(RowsPath));
        Assert.Equal([keyRow with { Source = "index/rows.jsonl line 1" }, IndexRecord.Of(Row(5), "index/rows.jsonl line 2")], records);
        Assert.Equal(Row(5), await index.FindByKeyAsync("k-5", default));
    }

    [Fact]
    public async Task An_unreadable_line_is_read_back_as_an_unreadable_record()
    {
        await index.AddAsync([Row(0)], default);
        File.AppendAllText(RowsPath, "{not json\n");
        await index.AddAsync([Row(1)], default);

        var records = await LedgerTestKit.RowsAsync(index);

        Assert.Equal([0L, -1, 1], records.Select(record => record.Index));
        Assert.Equal("index/rows.jsonl line 2 (unreadable)", records[1].Source);
        Assert.Equal(Row(1), await index.FindByKeyAsync("k-1", default));
    }

    [Theory]
    [InlineData("\"key\":", "\"kez\":")]
    [InlineData("\"leafHash\":", "\"leafHasH\":")]
    [InlineData("\"kind\":", "\"Kind\":")]
    [InlineData("+00:00", "-00:00")]
    [InlineData("\"index\":0,", "\"index\": 0,")]
    [InlineData("}", ",\"extra\":1}")]
    [InlineData("\"offset\":0", "\"offset\":\"0\"")]
    public async Task A_row_spelled_otherwise_than_written_is_unreadable(string from, string to)
    {
        await index.AddAsync([Row(0)], default);
        var text = File.ReadAllText(RowsPath);
        Assert.Contains(from, text);
        File.WriteAllText(RowsPath, ReplaceFirst(text, from, to));

        var record = Assert.Single(await LedgerTestKit.RowsAsync(index));

        Assert.Equal(-1, record.Index);
        Assert.Contains("unreadable", record.Source);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("")]
    public async Task Rows_end_with_a_newline_and_only_a_newline(string ending)
    {
        await index.AddAsync([Row(0), Row(1)], default);
        var text = File.ReadAllText(RowsPath);
        File.WriteAllText(RowsPath, ending.Length == 0 ? text[..^1] : ReplaceFirst(text, "\n", ending));

        var records = await LedgerTestKit.RowsAsync(index);

        Assert.Contains(records, record => record.Index == -1);
    }

    private string RowsPath => Path.Combine(folder.Path, DirectoryLedgerIndex.RowsFile);

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return text[..at] + to + text[(at + from.Length)..];
    }
}
