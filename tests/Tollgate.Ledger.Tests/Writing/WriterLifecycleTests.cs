using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

public class WriterLifecycleTests
{
    [Fact]
    public async Task A_disposed_writer_refuses_appends_and_may_be_disposed_again()
    {
        var writer = await OpenAsync(new InMemoryLedgerStore(), null, Signer());
        await writer.AppendAsync(Numbered(0));

        await writer.DisposeAsync();
        await writer.DisposeAsync();

        Assert.Equal(LedgerReason.Closed, Assert.Throws<LedgerException>(() => { _ = writer.AppendAsync(Numbered(1)); }).Reason);
        Assert.Equal(LedgerReason.Closed, Assert.Throws<LedgerException>(() => { _ = writer.AppendAsync(Numbered(0)); }).Reason);
        Assert.Equal(1, writer.Latest.Size);
    }

    [Fact]
    public async Task Dispose_waits_for_appends_already_queued()
    {
        var store = new InMemoryLedgerStore();
        var writer = await OpenAsync(store, null, Signer());
        var appends = NumberedEntries(300).Select(entry => writer.AppendAsync(entry)).ToList();

        await writer.DisposeAsync();

        Assert.All(appends, append => Assert.True(append.IsCompletedSuccessfully));
        Assert.Equal(300, (await StoredLinesAsync(store)).Count);
    }

    [Fact]
    public async Task An_append_made_while_the_writer_is_closing_is_refused_not_left_waiting()
    {
        var store = new InMemoryLedgerStore();
        var writer = await OpenAsync(store, null, Signer());
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.AfterWrite = name =>
        {
            if (!LedgerLayout.TryParseSegment(name, out _)) return;
            writing.Set();
            release.Wait(TimeSpan.FromSeconds(20));
        };
        var first = writer.AppendAsync(Numbered(0));
        Assert.True(writing.Wait(TimeSpan.FromSeconds(20)));
        var disposing = writer.DisposeAsync().AsTask();

        var late = Record.Exception(() => writer.AppendAsync(Numbered(1)).Wait(TimeSpan.FromSeconds(10)));
        release.Set();
        await disposing;

        Assert.Equal(0, (await first).Index);
        var refused = Assert.IsType<LedgerException>(late is AggregateException aggregate ? aggregate.InnerException : late);
        Assert.Equal(LedgerReason.Closed, refused.Reason);
    }

    [Fact]
    public async Task Cancelling_an_append_stops_the_wait_not_the_write()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.AfterWrite = name =>
        {
            if (!LedgerLayout.TryParseSegment(name, out _) || writing.IsSet) return;
            writing.Set();
            release.Wait(TimeSpan.FromSeconds(20));
        };
        using var cancel = new CancellationTokenSource();
        var append = writer.AppendAsync(Numbered(0), cancel.Token);
        Assert.True(writing.Wait(TimeSpan.FromSeconds(20)));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append);
        release.Set();
        await writer.AppendAsync(Numbered(1));

        Assert.Equal(0, writer.Find(Numbered(0).Key));
        Assert.True((await writer.AppendAsync(Numbered(0))).Existing);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("two words")]
    [InlineData("a+b")]
    public void An_origin_must_be_one_word_without_plus(string origin)
    {
        Assert.Throws<ArgumentException>(() => new LedgerOptions(origin));
    }
}
