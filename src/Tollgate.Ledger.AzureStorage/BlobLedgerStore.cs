using System.Runtime.InteropServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// A ledger in one Blob container, with exactly <see cref="LedgerLayout"/>'s names. Segments are append blobs:
/// created with If-None-Match: *, grown only by blocks conditioned on If-Append-Position-Equal. Everything else
/// is a block blob created with If-None-Match: *. Nothing here overwrites or deletes, so the container can carry
/// a locked WORM policy with protected append writes.
/// </summary>
/// <remarks>
/// Every write carries an MD5 of its body (Put Blob, Append Block), so bytes damaged in transit are refused by
/// the service rather than sealed into the ledger. <see cref="MaxBlocksPerSegment"/> is advice to the writer,
/// which rolls over before it; the service's own limit (50,000 blocks) is what this store can enforce, and it
/// surfaces as a conflict like any other.
/// </remarks>
public sealed class BlobLedgerStore : LedgerStore
{
    /// <summary>The most blocks an append blob takes.</summary>
    public const int AppendBlobBlockLimit = 50_000;

    /// <summary>The largest block Append Block accepts (4 MiB).</summary>
    public const int AppendBlockByteLimit = 4 * 1024 * 1024;

    private const int PropertyReadConcurrency = 8;

    private static readonly UploadTransferValidationOptions Md5 = new() { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 };

    private readonly int maxBlocksPerSegment;

    /// <param name="container">The ledger's container; it must exist (see <see cref="AzureLedger"/>).</param>
    /// <param name="maxBlocksPerSegment">When the writer starts a new segment: 1-50,000; small values let tests roll over cheaply.</param>
    public BlobLedgerStore(BlobContainerClient container, int maxBlocksPerSegment = AppendBlobBlockLimit)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (maxBlocksPerSegment is < 1 or > AppendBlobBlockLimit)
            throw new ArgumentOutOfRangeException(nameof(maxBlocksPerSegment), maxBlocksPerSegment, $"An append blob takes 1-{AppendBlobBlockLimit} blocks.");
        Container = container;
        this.maxBlocksPerSegment = maxBlocksPerSegment;
    }

    public BlobContainerClient Container { get; }

    public override int MaxBlocksPerSegment => maxBlocksPerSegment;

    public override int MaxBlockBytes => AppendBlockByteLimit;

    /// <remarks>
    /// A listing carries each blob's length but not its block count, so each segment costs one Get Blob Properties,
    /// which also gives the length: both figures come from the same response and so describe the same moment.
    /// </remarks>
    public override async Task<IReadOnlyList<SegmentInfo>> ListSegmentsAsync(CancellationToken cancellationToken)
    {
        var firstIndexes = new List<long>();
        foreach (var name in await ListNamesAsync(LedgerLayout.SegmentPrefix, cancellationToken))
        {
            if (LedgerLayout.TryParseSegment(name, out var firstIndex)) firstIndexes.Add(firstIndex);
        }

        var found = new SegmentInfo?[firstIndexes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, firstIndexes.Count),
            new ParallelOptions { MaxDegreeOfParallelism = PropertyReadConcurrency, CancellationToken = cancellationToken },
            async (i, token) => found[i] = await ReadSegmentInfoAsync(firstIndexes[i], token));
        return [.. found.OfType<SegmentInfo>().OrderBy(segment => segment.FirstIndex)];
    }

    private async Task<SegmentInfo?> ReadSegmentInfoAsync(long firstIndex, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await Segment(firstIndex).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return new SegmentInfo(firstIndex, properties.ContentLength, properties.BlobCommittedBlockCount);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Listed a moment ago and gone now: only someone with raw access deletes segments; report what is there.
            return null;
        }
    }

    public override async Task CreateSegmentAsync(long firstIndex, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        var name = LedgerLayout.Segment(firstIndex);
        try
        {
            await Segment(firstIndex).CreateAsync(new AppendBlobCreateOptions
            {
                Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/jsonl; charset=utf-8" },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (BlobFailures.IsAlreadyExists(e))
        {
            // Also what an SDK retry of a create that did land sees: the writer reads back and carries on.
            throw new LedgerWriteConflictException(name, "the segment exists");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw BlobFailures.NotFound(Container, name, e);
        }
    }

    public override async Task<SegmentInfo> AppendBlockAsync(long firstIndex, long expectedLength, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        var name = LedgerLayout.Segment(firstIndex);
        if (block.IsEmpty) throw new ArgumentException("An append carries at least one byte.", nameof(block));
        if (block.Length > MaxBlockBytes)
            throw new LedgerException(LedgerReason.TooLarge, $"{name}: a block is at most {MaxBlockBytes} bytes; this one is {block.Length}.");

        using var content = AsStream(block);
        try
        {
            var appended = (await Segment(firstIndex).AppendBlockAsync(content, new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = expectedLength },
                TransferValidation = Md5,
            }, cancellationToken)).Value;
            return new SegmentInfo(firstIndex, expectedLength + block.Length, appended.BlobCommittedBlockCount);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // AppendPositionConditionNotMet: another writer appended, or an earlier attempt of ours did land.
            throw new LedgerWriteConflictException(name, $"the segment is not {expectedLength} bytes long ({e.ErrorCode})");
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == BlobErrorCode.BlockCountExceedsLimit)
        {
            throw new LedgerWriteConflictException(name, $"the segment has the most blocks an append blob takes ({AppendBlobBlockLimit})");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw BlobFailures.NotFound(Container, name, e);
        }
    }

    /// <remarks>
    /// Azure answers 416 for a range that starts at or past the end (an empty blob included); the other stores
    /// answer with no bytes, and so does this one.
    /// </remarks>
    public override async Task<byte[]> ReadSegmentAsync(long firstIndex, long offset, long? count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (count is < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "A count is not negative.");
        if (count == 0) return [];
        var name = LedgerLayout.Segment(firstIndex);
        var range = offset == 0 && count is null ? default : new HttpRange(offset, count);
        try
        {
            var download = await Segment(firstIndex).DownloadContentAsync(new BlobDownloadOptions { Range = range }, cancellationToken);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return [];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw BlobFailures.NotFound(Container, name, e);
        }
    }

    public override async Task<bool> TryCreateObjectAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        CheckObjectName(name);
        try
        {
            await Container.GetBlobClient(name).UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferValidation = Md5,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (BlobFailures.IsAlreadyExists(e))
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw BlobFailures.NotFound(Container, name, e);
        }
    }

    public override async Task<byte[]?> ReadObjectAsync(string name, CancellationToken cancellationToken)
    {
        CheckObjectName(name);
        try
        {
            return (await Container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw BlobFailures.NotFound(Container, name, e);
        }
    }

    /// <remarks>Segments are not write-once objects and are left out, as in the other stores.</remarks>
    public override async Task<IReadOnlyList<string>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var names = (await ListNamesAsync(prefix, cancellationToken)).Where(name => !name.StartsWith(LedgerLayout.SegmentPrefix, StringComparison.Ordinal)).ToList();
        // The service lists in UTF-8 byte order; the contract is UTF-16 ordinal order, which differs beyond the BMP.
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private async Task<List<string>> ListNamesAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken))
                names.Add(item.Name);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw BlobFailures.NotFound(Container, prefix, e);
        }
        return names;
    }

    private AppendBlobClient Segment(long firstIndex) => Container.GetAppendBlobClient(LedgerLayout.Segment(firstIndex));

    /// <summary>A block blob under segments/ would hide a segment or break its listing.</summary>
    private static void CheckObjectName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.StartsWith(LedgerLayout.SegmentPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is a segment name; segments are written with CreateSegmentAsync and AppendBlockAsync.", nameof(name));
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> block) =>
        MemoryMarshal.TryGetArray(block, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(block.ToArray(), writable: false);
}
