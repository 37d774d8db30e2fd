using Tollgate.Durable.AzureStorage;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Durable.Backend;
using Xunit.Abstractions;

namespace Tollgate.Durable.Tests;

/// <summary>
/// The conformance suite on the Azure Storage backend, against Azurite: the one in
/// TOLLGATE_TEST_STORAGE when the test script started one, otherwise one of this process's own
/// (see <see cref="AzuriteFixture"/>). Each test creates its own task hub and leaves it behind.
/// </summary>
public sealed class AzureStorageConformance(AzuriteFixture azurite, ITestOutputHelper output)
    : EngineConformance(output), IClassFixture<AzuriteFixture>
{
    protected override async Task<DurableBackend> CreateBackendAsync(string taskHub, int partitionCount)
        => (await AzureStorageBackend.CreateAsync(azurite.ConnectionString, taskHub, partitionCount)).Backend;
}
