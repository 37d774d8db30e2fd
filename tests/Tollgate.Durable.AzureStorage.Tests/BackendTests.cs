using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.AzureStorage.Tests;

public sealed class BackendTests(AzuriteFixture azurite) : AzureStorageTestBase(azurite)
{
    [Theory]
    [InlineData("ab")]
    [InlineData("")]
    [InlineData("1hub")]
    [InlineData("has-dash")]
    [InlineData("with space")]
    [InlineData("hübner")]
    [InlineData("a234567890123456789012345678901234567890123456")] // 46
    public void A_bad_task_hub_name_throws_ArgumentException_naming_the_parameter(string taskHub)
    {
        var e = Assert.Throws<ArgumentException>(() => AzureStorageBackend.Create(Azurite.ConnectionString, taskHub));
        Assert.Equal("taskHub", e.ParamName);
    }

    [Fact]
    public void A_null_task_hub_name_throws_ArgumentException()
        => Assert.Equal("taskHub", Assert.ThrowsAny<ArgumentException>(() => AzureStorageBackend.Create(Azurite.ConnectionString, null!)).ParamName);

    [Fact]
    public void Names_follow_the_Durable_Task_layout()
    {
        var hub = AzureStorageBackend.Open(Azurite.ConnectionString, "MyHub1", 3);
        Assert.Equal("azure-storage", hub.Backend.Name);
        Assert.Equal("MyHub1", hub.Backend.TaskHub);
        Assert.Equal(3, hub.Backend.PartitionCount);
        Assert.Equal("MyHub1Instances", hub.Names.InstancesTable);
        Assert.Equal("MyHub1History", hub.Names.HistoryTable);
        Assert.Equal(["myhub1-control-00", "myhub1-control-01", "myhub1-control-02"], hub.Names.ControlQueues);
        Assert.Equal("myhub1-largemessages", hub.Names.LargeMessagesContainer);
        Assert.Equal("myhub1-leases", hub.Names.LeasesContainer);
        Assert.True(AzureStorageTaskHubNames.IsValid("a23456789012345678901234567890123456789012345")); // 45
        Assert.Throws<ArgumentOutOfRangeException>(() => AzureStorageBackend.Create(Azurite.ConnectionString, "hub", 0));
    }

    [Fact]
    public void A_bad_connection_string_throws_without_repeating_it()
    {
        const string secret = "AccountName=x;AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0;Nonsense";
        var e = Assert.Throws<ArgumentException>(() => AzureStorageBackend.Create(secret, "hub"));
        Assert.Equal("connectionString", e.ParamName);
        Assert.DoesNotContain("c2VjcmV0c2VjcmV0c2VjcmV0", e.ToString());
    }

    [Fact]
    public void Redaction_removes_keys_and_signatures()
    {
        var secrets = Redaction.SecretsOf("AccountName=a;AccountKey=abcdefgh12345678==;");
        var text = Redaction.Redact("failed with abcdefgh12345678== at https://a.blob/x?sv=1&sig=SIGNATURE123&se=2 AccountKey=other", secrets);
        Assert.DoesNotContain("abcdefgh12345678", text);
        Assert.DoesNotContain("SIGNATURE123", text);
        Assert.DoesNotContain("other", text);
    }

    [Fact]
    public async Task EnsureCreated_is_idempotent_and_works_on_a_backend_made_by_Create()
    {
        var taskHub = AzuriteFixture.NewTaskHub();
        var backend = AzureStorageBackend.Create(Azurite.ConnectionString, taskHub, 2);
        Assert.False((await backend.ProbeAsync(Ct)).Ok);
        await AzureStorageBackend.EnsureCreatedAsync(backend, Ct);
        await AzureStorageBackend.EnsureCreatedAsync(backend, Ct);
        Assert.True((await backend.ProbeAsync(Ct)).Ok);
        Assert.True(await backend.Leases.TryAcquireAsync(1, "me", TimeSpan.FromSeconds(20), Ct));
        await AzureStorageBackend.EnsureCreatedAsync(backend, Ct); // with a leased lease blob
        var hub = AzureStorageBackend.TaskHubOf(backend);
        Assert.Equal(taskHub, hub.Names.TaskHub);
        Assert.True(hub.Transactions.Total > 0);
        await hub.DeleteAsync(Ct);
        Assert.Throws<ArgumentException>(() => AzureStorageBackend.TaskHubOf(Tollgate.Durable.InMemory.InMemoryBackend.Create()));
    }

    [Fact]
    public async Task The_transaction_counter_counts_each_request_by_service()
    {
        var shared = new StorageTransactionCounter();
        var hub = await NewHubAsync(partitions: 1, new AzureStorageBackendOptions { Transactions = shared });
        Assert.Same(shared, hub.Transactions);
        var before = shared.Read();

        await hub.Backend.Instances.GetAsync("nobody", withPayloads: true, Ct);
        Assert.Equal(new StorageTransactionCounts(1, 0, 0), shared.Read() - before);

        await hub.Backend.Queues.SendAsync(new OrchestrationMessage("x", new EventRaised(DateTime.UtcNow, "e", null, "m"), "m"), TimeSpan.Zero, Ct);
        Assert.Equal(new StorageTransactionCounts(1, 1, 0), shared.Read() - before);

        await hub.Backend.Leases.TryAcquireAsync(0, "me", TimeSpan.FromSeconds(15), Ct);
        Assert.Equal(new StorageTransactionCounts(1, 1, 1), shared.Read() - before);

        // One activity's worth of engine work: append, receive, delete.
        var version = await hub.Backend.History.AppendAsync("x", HistoryVersion.Empty, [new ExecutionStarted(DateTime.UtcNow, "O", null, "e")], Ct);
        var received = await hub.Backend.Queues.ReceiveAsync(0, 32, TimeSpan.FromSeconds(30), Ct);
        await hub.Backend.Queues.DeleteAsync(Assert.Single(received), Ct);
        Assert.Equal(new StorageTransactionCounts(2, 3, 1), shared.Read() - before);
        Assert.Equal(6, (shared.Read() - before).Total);
        Assert.Equal(1, version.Count);
    }
}
