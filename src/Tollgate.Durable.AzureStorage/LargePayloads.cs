using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// Payloads over the inline limit, one blob each in <c>&lt;hub&gt;-largemessages</c>, under a folder per
/// instance: <c>&lt;instance&gt;/history/…</c>, <c>&lt;instance&gt;/instance/…</c>, <c>&lt;instance&gt;/message/…</c>.
/// Blobs are written with If-None-Match: * and never overwritten; every name is either unique per
/// write or derived from the content, so an existing blob already holds the bytes being written.
/// </summary>
internal sealed class LargePayloads(BlobContainerClient container)
{
    public BlobContainerClient Container => container;

    /// <summary>The instance's folder. Instance ids are escaped so that no id can climb out of its folder ("..") or collide with another.</summary>
    public static string Folder(string instanceId)
    {
        var sb = new StringBuilder(instanceId.Length + 8);
        foreach (var c in instanceId)
            sb.Append(c switch { '%' => "%25", '/' => "%2F", '\\' => "%5C", _ => c.ToString() });
        var folder = sb.ToString();
        if (folder.Length == 0 || folder.All(c => c == '.')) folder = folder.Replace(".", "%2E") + "%";
        return folder + "/";
    }

    public static string HistoryBlob(string instanceId, long sequence) => $"{Folder(instanceId)}history/{sequence:D10}-{Guid.NewGuid():N}.json";
    public static string MessageBlob(string instanceId) => $"{Folder(instanceId)}message/{Guid.NewGuid():N}.json";

    public static string InstanceBlob(string instanceId, string field, byte[] content)
        => $"{Folder(instanceId)}instance/{field}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))}.json";

    public async Task UploadAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            // A unique name that exists was written by an earlier attempt of this same upload; a
            // content-derived name that exists holds these bytes. Either way: done, nothing overwritten.
        }
    }

    public async Task<byte[]> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        var result = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
        return result.Value.Content.ToArray();
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
        => await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>Deletes every blob whose name starts with <paramref name="prefix"/> (one listing request, then one delete per blob).</summary>
    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            names.Add(item.Name);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (name, token) => await DeleteAsync(name, token));
    }
}
