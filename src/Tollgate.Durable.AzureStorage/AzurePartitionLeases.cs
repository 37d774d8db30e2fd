using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Tollgate.Durable.Backend;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// Partition leases are blob leases on <c>&lt;hub&gt;-leases/partition-NN</c>; host heartbeats are rows
/// in <c>&lt;hub&gt;Hosts</c>.
/// </summary>
/// <remarks>
/// <para>Azure blob leases last 15-60 s: a requested duration is clamped into that range.</para>
/// <para>
/// The lease id is a name-based GUID of the owner string (<see cref="LeaseIdOf"/>), so a host that
/// restarts with the same owner id can renew or re-acquire the lease it held.
/// </para>
/// <para>
/// Differences from the in-memory leases, both from Azure's lease rules: a renewal keeps the
/// duration the lease was acquired with; and an owner can renew a lease that expired as long as
/// nobody else has acquired it since (a renewal fails once another owner has held the lease).
/// </para>
/// </remarks>
internal sealed class AzurePartitionLeases(StorageContext storage) : IPartitionLeases
{
    internal const string HostsPartition = "hosts";

    /// <summary>A fixed namespace for lease ids (RFC 4122 name-based, SHA-1).</summary>
    private static readonly Guid LeaseNamespace = new("0b5a2c55-3f8e-4a8e-9d0c-6f1d8c7e2a41");

    public async Task<bool> TryAcquireAsync(int partition, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var lease = LeaseClient(partition, owner);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(Clamp(duration), cancellationToken: cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return false; // held by another owner
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                await CreateLeaseBlobAsync(storage.Leases.GetBlobClient(AzureStorageTaskHubNames.LeaseBlob(partition)), cancellationToken);
            }
        }
    }

    public async Task<bool> RenewAsync(int partition, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            await LeaseClient(partition, owner).RenewAsync(cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    public async Task ReleaseAsync(int partition, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await LeaseClient(partition, owner).ReleaseAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // Not ours (any more): nothing to release.
        }
    }

    /// <remarks>
    /// Two requests: an upsert of this host's row (LastSeen = now, by this machine's clock) and a
    /// query counting rows seen within <paramref name="window"/>. Rows of hosts long gone stay in the
    /// table and are not counted.
    /// </remarks>
    public async Task<int> HeartbeatAsync(string owner, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = StorageContext.UtcNow;
        await storage.Hosts.UpsertEntityAsync(new TableEntity(HostsPartition, RowKeyOf(owner))
        {
            ["Owner"] = owner,
            ["LastSeen"] = now,
        }, TableUpdateMode.Replace, cancellationToken);

        var since = now - window;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {HostsPartition} and LastSeen ge {since}");
        var alive = 0;
        await foreach (var _ in storage.Hosts.QueryAsync<TableEntity>(filter, 1000, ["RowKey"], cancellationToken)) alive++;
        return alive;
    }

    public async Task LeaveAsync(string owner, CancellationToken cancellationToken)
        => await storage.Hosts.DeleteEntityAsync(HostsPartition, RowKeyOf(owner), Azure.ETag.All, cancellationToken);

    internal TimeSpan Clamp(TimeSpan duration)
    {
        var min = storage.Options.MinLeaseDuration;
        var max = storage.Options.MaxLeaseDuration;
        var whole = TimeSpan.FromSeconds(Math.Ceiling(duration.TotalSeconds));
        return whole < min ? min : whole > max ? max : whole;
    }

    private BlobLeaseClient LeaseClient(int partition, string owner)
    {
        if (partition < 0 || partition >= storage.Names.PartitionCount)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The task hub has {storage.Names.PartitionCount} partitions.");
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return storage.Leases.GetBlobClient(AzureStorageTaskHubNames.LeaseBlob(partition)).GetBlobLeaseClient(LeaseIdOf(owner).ToString());
    }

    internal static async Task CreateLeaseBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Exists already (possibly leased): that is all we need.
        }
    }

    /// <summary>The lease id of an owner: a name-based (version 5) GUID of the owner string, the same in every process.</summary>
    public static Guid LeaseIdOf(string owner)
    {
        var name = Encoding.UTF8.GetBytes(owner);
        var input = new byte[16 + name.Length];
        LeaseNamespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>RowKeys may not hold / \ # ? or control characters: those (and %) are percent-escaped.</summary>
    internal static string RowKeyOf(string owner)
    {
        var sb = new StringBuilder(owner.Length);
        foreach (var c in owner)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)) sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
