namespace Tollgate.Durable.AzureStorage.Tests;

public sealed class LeaseTests(AzuriteFixture azurite) : AzureStorageTestBase(azurite)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lease_is_exclusive_renewable_and_releasable()
    {
        var hub = await NewHubAsync(partitions: 2);
        var leases = hub.Backend.Leases;

        Assert.True(await leases.TryAcquireAsync(0, "host-a", Duration, Ct));
        Assert.False(await leases.TryAcquireAsync(0, "host-b", Duration, Ct));
        Assert.True(await leases.TryAcquireAsync(0, "host-a", Duration, Ct)); // the holder may acquire again
        Assert.True(await leases.TryAcquireAsync(1, "host-b", Duration, Ct)); // partitions are independent

        Assert.True(await leases.RenewAsync(0, "host-a", Duration, Ct));
        Assert.False(await leases.RenewAsync(0, "host-b", Duration, Ct));
        Assert.False(await leases.RenewAsync(1, "host-a", Duration, Ct));

        await leases.ReleaseAsync(0, "host-b", Ct); // not the holder: nothing happens
        Assert.False(await leases.TryAcquireAsync(0, "host-b", Duration, Ct));

        await leases.ReleaseAsync(0, "host-a", Ct);
        Assert.False(await leases.RenewAsync(0, "host-a", Duration, Ct));
        Assert.True(await leases.TryAcquireAsync(0, "host-b", Duration, Ct));
        await leases.ReleaseAsync(0, "host-a", Ct);
        Assert.False(await leases.TryAcquireAsync(0, "host-a", Duration, Ct));
    }

    [Fact]
    public async Task A_restarted_host_with_the_same_owner_id_keeps_its_lease()
    {
        var hub = await NewHubAsync(partitions: 1);
        Assert.True(await hub.Backend.Leases.TryAcquireAsync(0, "stable-host", Duration, Ct));

        var restarted = Reopen(hub).Backend.Leases;
        Assert.True(await restarted.RenewAsync(0, "stable-host", Duration, Ct));
        Assert.True(await restarted.TryAcquireAsync(0, "stable-host", Duration, Ct));
        Assert.False(await restarted.TryAcquireAsync(0, "other-host", Duration, Ct));
        Assert.Equal(AzurePartitionLeases.LeaseIdOf("stable-host"), AzurePartitionLeases.LeaseIdOf("stable-host"));
        Assert.NotEqual(AzurePartitionLeases.LeaseIdOf("stable-host"), AzurePartitionLeases.LeaseIdOf("other-host"));
    }

    [Fact]
    public async Task A_lease_expires_after_its_clamped_duration()
    {
        var hub = await NewHubAsync(partitions: 1);
        var leases = hub.Backend.Leases;
        // 1 s is clamped up to Azure's shortest lease, 15 s.
        Assert.True(await leases.TryAcquireAsync(0, "host-a", TimeSpan.FromSeconds(1), Ct));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(await leases.TryAcquireAsync(0, "host-b", TimeSpan.FromSeconds(15), Ct));

        await Task.Delay(TimeSpan.FromSeconds(13.5));
        Assert.True(await leases.TryAcquireAsync(0, "host-b", TimeSpan.FromSeconds(15), Ct));
        Assert.False(await leases.RenewAsync(0, "host-a", TimeSpan.FromSeconds(15), Ct));
    }

    [Fact]
    public void Durations_are_clamped_to_what_blob_leases_allow()
    {
        var hub = AzureStorageBackend.Open(Azurite.ConnectionString, "clamp");
        var leases = Assert.IsType<AzurePartitionLeases>(hub.Backend.Leases);
        Assert.Equal(TimeSpan.FromSeconds(15), leases.Clamp(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(15), leases.Clamp(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(31), leases.Clamp(TimeSpan.FromSeconds(30.2)));
        Assert.Equal(TimeSpan.FromSeconds(60), leases.Clamp(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Heartbeat_counts_the_hosts_seen_within_the_window()
    {
        var hub = await NewHubAsync(partitions: 1);
        var leases = hub.Backend.Leases;
        var window = TimeSpan.FromSeconds(30);
        Assert.Equal(1, await leases.HeartbeatAsync("host-a", window, Ct));
        Assert.Equal(2, await leases.HeartbeatAsync("host-b", window, Ct));
        Assert.Equal(2, await leases.HeartbeatAsync("host-a", window, Ct));
        Assert.Equal(3, await Reopen(hub).Backend.Leases.HeartbeatAsync("odd/host#1?", window, Ct));

        await Task.Delay(1500);
        Assert.Equal(1, await leases.HeartbeatAsync("host-b", TimeSpan.FromSeconds(1), Ct));
        Assert.Equal(3, await leases.HeartbeatAsync("host-b", window, Ct));
    }
}
