using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Security;

/// <summary>
/// Approval and version-map ids from the path reach Azure Tables keys unchecked, and the Tables service refuses
/// keys with '/', '\', '#', '?', control characters or more than 1 KiB. On the Tables backend such an id must be an
/// unknown id (404 and its reason), never a storage error. Azurite is more lenient than the service, so this holds
/// the line on Azurite only; the service itself is not reachable from the tests.
/// </summary>
public sealed class StorageKeyTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private HostFactory host = null!;
    private HttpClient caller = null!;

    public async Task InitializeAsync()
    {
        host = new HostFactory().With("AzureWebJobsStorage", azurite.ConnectionString).With("TOLLGATE_TASK_HUB", AzuriteFixture.NewTaskHub("keys"));
        caller = host.As("key-caller", Role.Operator, Role.Trader);
        await LedgerApiTests.WaitForLedgerAsync(caller);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    public static TheoryData<string> Ids => ["a%23b", "a%3Fb", "a%2Fb", "a%5Cb", "a%01b", "a%7Fb", new string('a', 1100)];

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task An_approval_id_no_table_key_can_hold_is_not_found(string id)
    {
        var read = await Call.SendAsync(caller, "GET", $"/api/approvals/{id}");
        Assert.True(read is { Status: 404, Reason: "APPROVAL_NOT_FOUND" }, $"GET approvals/{id[..Math.Min(id.Length, 20)]}: {read}");
        var approve = await Call.SendAsync(caller, "POST", $"/api/approvals/{id}/approve");
        Assert.True(approve is { Status: 404, Reason: "APPROVAL_NOT_FOUND" }, $"approve {id[..Math.Min(id.Length, 20)]}: {approve}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task A_version_map_id_no_table_key_can_hold_is_not_found(string id)
    {
        var read = await Call.SendAsync(caller, "GET", $"/api/version-maps/{id}");
        Assert.True(read is { Status: 404, Reason: "VMAP_NOT_FOUND" }, $"GET version-maps/{id[..Math.Min(id.Length, 20)]}: {read}");
        var activate = await Call.SendAsync(caller, "POST", "/api/environments/Research/version-map/activate",
            GovernanceApi.GovernanceBodies.Json($$"""{"map_id":"{{Uri.UnescapeDataString(id).Replace("\\", "\\\\").Replace("\u0001", "\\u0001").Replace("\u007f", "\\u007f")}}","reason":"r"}"""));
        Assert.True(activate.Status is >= 400 and < 500, $"activate {id[..Math.Min(id.Length, 20)]}: {activate}");
    }
}
