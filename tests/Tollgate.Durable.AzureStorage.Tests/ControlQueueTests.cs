using System.Diagnostics;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.AzureStorage.Tests;

public sealed class ControlQueueTests(AzuriteFixture azurite) : AzureStorageTestBase(azurite)
{
    private static readonly DateTime T0 = new(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc);
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    private static OrchestrationMessage Message(string instanceId, string? payload = "\"p\"", string? messageId = null)
        => new(instanceId, new EventRaised(T0, "Go", payload, messageId ?? Guid.NewGuid().ToString("N")), messageId ?? Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Send_receive_delete_on_the_instance_partition()
    {
        var hub = await NewHubAsync(partitions: 4);
        var queues = hub.Backend.Queues;
        var message = Message("routed");
        var partition = hub.Backend.PartitionOf("routed");

        await queues.SendAsync(message, TimeSpan.Zero, Ct);
        for (var p = 0; p < 4; p++)
            if (p != partition) Assert.Empty(await queues.ReceiveAsync(p, 32, Visibility, Ct));

        var received = Assert.Single(await queues.ReceiveAsync(partition, 32, Visibility, Ct));
        Assert.Equal(message, received.Message);
        Assert.Equal(1, received.DequeueCount);
        var receipt = Assert.IsType<AzureQueueReceipt>(received.Receipt);
        Assert.Equal(hub.Names.ControlQueue(partition), receipt.QueueName);
        Assert.Empty(await queues.ReceiveAsync(partition, 32, Visibility, Ct)); // invisible while received

        await queues.DeleteAsync(received, Ct);
        await queues.DeleteAsync(received, Ct); // twice is harmless
        await queues.AbandonAsync(received, TimeSpan.Zero, Ct); // so is abandoning a deleted message
        Assert.Empty(await queues.ReceiveAsync(partition, 32, Visibility, Ct));
    }

    [Fact]
    public async Task Receive_takes_up_to_the_batch_size()
    {
        var hub = await NewHubAsync(partitions: 1);
        var queues = hub.Backend.Queues;
        var sent = Enumerable.Range(0, 40).Select(i => Message($"i{i}")).ToList();
        await Task.WhenAll(sent.Select(m => queues.SendAsync(m, TimeSpan.Zero, Ct)));

        var first = await queues.ReceiveAsync(0, 100, Visibility, Ct); // clamped to 32
        Assert.InRange(first.Count, 1, 32);
        var all = first.ToList();
        while (await queues.ReceiveAsync(0, 5, Visibility, Ct) is { Count: > 0 } more)
        {
            Assert.True(more.Count <= 5);
            all.AddRange(more);
        }
        Assert.Equal(sent.Select(m => m.MessageId).Order(), all.Select(m => m.Message.MessageId).Order());
    }

    [Fact]
    public async Task A_delayed_message_stays_invisible_until_due()
    {
        var hub = await NewHubAsync(partitions: 1);
        var queues = hub.Backend.Queues;
        var message = Message("delayed");
        var clock = Stopwatch.StartNew();
        await queues.SendAsync(message, TimeSpan.FromSeconds(2), Ct);
        Assert.Empty(await queues.ReceiveAsync(0, 32, Visibility, Ct));

        var received = await EventuallyAsync(async () => (await queues.ReceiveAsync(0, 32, Visibility, Ct)).SingleOrDefault(), TimeSpan.FromSeconds(20), "the delayed message");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"seen after {clock.Elapsed}");
        Assert.Equal(message, received.Message);
    }

    [Fact]
    public async Task Abandon_makes_a_message_visible_again_after_the_delay_with_a_higher_dequeue_count()
    {
        var hub = await NewHubAsync(partitions: 1);
        var queues = hub.Backend.Queues;
        var message = Message("abandoned");
        await queues.SendAsync(message, TimeSpan.Zero, Ct);

        var first = Assert.Single(await queues.ReceiveAsync(0, 32, Visibility, Ct));
        await queues.AbandonAsync(first, TimeSpan.Zero, Ct);
        var second = Assert.Single(await queues.ReceiveAsync(0, 32, Visibility, Ct));
        Assert.Equal(message, second.Message);
        Assert.Equal(2, second.DequeueCount);

        var clock = Stopwatch.StartNew();
        await queues.AbandonAsync(second, TimeSpan.FromSeconds(2), Ct);
        Assert.Empty(await queues.ReceiveAsync(0, 32, Visibility, Ct));
        var third = await EventuallyAsync(async () => (await queues.ReceiveAsync(0, 32, Visibility, Ct)).SingleOrDefault(), TimeSpan.FromSeconds(20), "the abandoned message");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9));
        Assert.Equal(3, third.DequeueCount);
        Assert.Equal(message, third.Message);

        // The pop receipt an abandon returns is kept: the same QueuedMessage can then be deleted.
        await queues.AbandonAsync(third, TimeSpan.FromSeconds(30), Ct);
        await queues.DeleteAsync(third, Ct);
        await queues.AbandonAsync(third, TimeSpan.Zero, Ct);
        Assert.Empty(await queues.ReceiveAsync(0, 32, Visibility, Ct));
    }

    [Fact]
    public async Task A_stale_receipt_does_not_delete_a_message_someone_else_received()
    {
        var hub = await NewHubAsync(partitions: 1);
        var queues = hub.Backend.Queues;
        await queues.SendAsync(Message("stale"), TimeSpan.Zero, Ct);
        var mine = Assert.Single(await queues.ReceiveAsync(0, 32, TimeSpan.FromSeconds(1), Ct));
        await Task.Delay(1500);
        var theirs = Assert.Single(await queues.ReceiveAsync(0, 32, TimeSpan.FromSeconds(2), Ct));

        await queues.DeleteAsync(mine, Ct); // quietly does nothing
        await queues.AbandonAsync(mine, TimeSpan.Zero, Ct);
        Assert.Empty(await queues.ReceiveAsync(0, 32, Visibility, Ct));
        var again = await EventuallyAsync(async () => (await queues.ReceiveAsync(0, 32, Visibility, Ct)).SingleOrDefault(), TimeSpan.FromSeconds(20), "redelivery");
        Assert.Equal(3, again.DequeueCount);
        await queues.DeleteAsync(theirs, Ct); // stale too by now
        await queues.DeleteAsync(again, Ct);
    }

    [Fact]
    public async Task Park_moves_a_message_to_the_poison_table_and_list_returns_it()
    {
        var hub = await NewHubAsync(partitions: 2);
        var queues = hub.Backend.Queues;
        Assert.Empty(await queues.ListParkedAsync(Ct));
        var poison = Message("poisoned");
        var big = Message("poisoned-big", Json(100 * 1024));
        await queues.SendAsync(poison, TimeSpan.Zero, Ct);
        await queues.SendAsync(big, TimeSpan.Zero, Ct);

        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        foreach (var (message, reason) in new[] { (poison, "POISON_MESSAGE: test"), (big, "too big to bear") })
        {
            var partition = hub.Backend.PartitionOf(message.InstanceId);
            var received = Assert.Single(await queues.ReceiveAsync(partition, 32, Visibility, Ct));
            await queues.ParkAsync(received, reason, Ct);
            await queues.ParkAsync(received, reason, Ct) .ContinueWith(_ => { }); // a second park of the same receipt may add a row; never throws out of the queue
        }

        var parked = (await queues.ListParkedAsync(Ct)).DistinctBy(p => p.Message.MessageId).ToList();
        Assert.Equal(2, parked.Count);
        var first = parked.Single(p => p.Message.InstanceId == "poisoned");
        Assert.Equal(poison, first.Message);
        Assert.Equal("POISON_MESSAGE: test", first.Reason);
        Assert.Equal(1, first.DequeueCount);
        Assert.InRange(first.ParkedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(big, parked.Single(p => p.Message.InstanceId == "poisoned-big").Message);

        await Task.Delay(100);
        for (var p = 0; p < 2; p++) Assert.Empty(await queues.ReceiveAsync(p, 32, TimeSpan.FromSeconds(1), Ct));
    }

    [Fact]
    public async Task An_unreadable_message_is_parked_with_the_reason_and_never_returned()
    {
        var hub = await NewHubAsync(partitions: 1);
        var raw = new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, hub.Names.ControlQueue(0),
            new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        await raw.SendMessageAsync(BinaryData.FromString("{ not json"));
        await hub.Backend.Queues.SendAsync(Message("fine"), TimeSpan.Zero, Ct);

        var received = await hub.Backend.Queues.ReceiveAsync(0, 32, Visibility, Ct);
        Assert.Equal("fine", Assert.Single(received).Message.InstanceId);
        await Task.Delay(1100);
        Assert.Empty(await hub.Backend.Queues.ReceiveAsync(0, 32, TimeSpan.FromSeconds(1), Ct));

        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in Table(hub.Names.PoisonTable).QueryAsync<Azure.Data.Tables.TableEntity>()) rows.Add(row);
        var poison = Assert.Single(rows);
        Assert.StartsWith("UNREADABLE_MESSAGE", poison.GetString("Reason"));
        Assert.Equal("{ not json", poison.GetString("RawBody"));
        Assert.Empty(await hub.Backend.Queues.ListParkedAsync(Ct)); // nothing to show as an OrchestrationMessage
    }

    [Fact]
    public async Task A_100_KB_message_goes_through_a_blob_and_back()
    {
        var hub = await NewHubAsync(partitions: 1);
        var queues = hub.Backend.Queues;
        var message = Message("big-message", Json(100 * 1024));
        await queues.SendAsync(message, TimeSpan.Zero, Ct);
        var blobs = await BlobNamesAsync(hub, "big-message/message/");
        Assert.Single(blobs);

        var received = Assert.Single(await Reopen(hub).Backend.Queues.ReceiveAsync(0, 32, Visibility, Ct));
        Assert.Equal(message, received.Message);
        var receipt = Assert.IsType<AzureQueueReceipt>(received.Receipt);
        Assert.Equal(blobs[0], receipt.Envelope.Blob);
        Assert.Null(receipt.Envelope.Message);

        await queues.DeleteAsync(received, Ct);
        Assert.Empty(await BlobNamesAsync(hub, "big-message/"));
    }

    [Fact]
    public async Task A_delay_beyond_the_visibility_cap_is_held_back_until_due()
    {
        var options = new AzureStorageBackendOptions { MaxVisibilityDelay = TimeSpan.FromSeconds(2) };
        var hub = await NewHubAsync(partitions: 1, options);
        var queues = hub.Backend.Queues;
        var message = Message("far-future");
        var clock = Stopwatch.StartNew();
        await queues.SendAsync(message, TimeSpan.FromSeconds(6), Ct);

        QueuedMessage? received = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && received is null)
        {
            received = (await queues.ReceiveAsync(0, 32, Visibility, Ct)).SingleOrDefault();
            if (received is null) await Task.Delay(250);
        }
        Assert.NotNull(received);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(5.9), $"seen after {clock.Elapsed}, before it was due");
        Assert.Equal(message, received.Message);
        Assert.Equal(1, received.DequeueCount); // held-back copies are fresh sends, never counted as deliveries

        // An abandon beyond the cap is held back the same way.
        clock.Restart();
        await queues.AbandonAsync(received, TimeSpan.FromSeconds(5), Ct);
        received = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && received is null)
        {
            received = (await queues.ReceiveAsync(0, 32, Visibility, Ct)).SingleOrDefault();
            if (received is null) await Task.Delay(250);
        }
        Assert.NotNull(received);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4.9), $"seen after {clock.Elapsed}, before it was due");
        Assert.Equal(message, received.Message);
    }
}
