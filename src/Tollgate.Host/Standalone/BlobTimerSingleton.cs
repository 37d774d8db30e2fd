using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The Azure Storage timer singleton. Each timer function has a blob
/// <c>&lt;hub&gt;-singletons/&lt;functionName&gt;</c>; a host fires an occurrence only while it holds
/// the blob's lease, and only if the blob's <c>lastoccurrence</c> metadata is earlier — it then
/// writes the occurrence there under the lease and the blob's ETag. A host that gets the lease
/// later finds the occurrence recorded and does not fire it again. The lease is held (and renewed)
/// while the function runs, so a function never runs on two hosts at once.
/// </summary>
public sealed class BlobTimerSingleton : ITimerSingleton
{
    private const string LastOccurrenceKey = "lastoccurrence";
    private const string FiredByKey = "firedby";

    private readonly BlobContainerClient _container;
    private readonly string _owner;
    private readonly ILogger _logger;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _maxWait;
    private readonly ConcurrentDictionary<string, bool> _knownBlobs = new(StringComparer.Ordinal);
    private Task? _containerReady;

    /// <param name="leaseDuration">15-60 s, as Azure allows.</param>
    /// <param name="maxWait">How long to wait for another host's lease before giving up an occurrence (longer than a lease, so a crashed holder's lease expires first).</param>
    public BlobTimerSingleton(BlobContainerClient container, string owner, ILogger logger, TimeSpan? leaseDuration = null, TimeSpan? maxWait = null)
    {
        _container = container;
        _owner = new string(owner.Select(c => char.IsAscii(c) && !char.IsControl(c) ? c : '_').ToArray());
        _logger = logger;
        _leaseDuration = leaseDuration ?? TimeSpan.FromSeconds(15);
        _maxWait = maxWait ?? _leaseDuration + TimeSpan.FromSeconds(5);
    }

    public static string ContainerName(string taskHub) => $"{taskHub.ToLowerInvariant()}-singletons";

    public static BlobTimerSingleton Create(string connectionString, string taskHub, string owner, ILogger logger)
        => new(new BlobServiceClient(connectionString).GetBlobContainerClient(ContainerName(taskHub)), owner, logger);

    public async Task<IAsyncDisposable?> TryClaimAsync(string functionName, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(functionName);
        await EnsureBlobAsync(blob, cancellationToken);
        var lease = blob.GetBlobLeaseClient();
        if (!await AcquireAsync(blob, lease, cancellationToken)) return null;
        try
        {
            var properties = (await blob.GetPropertiesAsync(new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken)).Value;
            if (properties.Metadata.TryGetValue(LastOccurrenceKey, out var text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var recorded)
                && recorded >= occurrence)
            {
                await ReleaseAsync(lease);
                return null;
            }
            var metadata = new Dictionary<string, string>
            {
                [LastOccurrenceKey] = occurrence.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                [FiredByKey] = _owner,
            };
            await blob.SetMetadataAsync(metadata, new BlobRequestConditions { LeaseId = lease.LeaseId, IfMatch = properties.ETag }, cancellationToken);
            return new HeldLease(lease, _leaseDuration, _logger, functionName);
        }
        catch
        {
            await ReleaseAsync(lease);
            throw;
        }
    }

    private async Task<bool> AcquireAsync(BlobClient blob, BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + _maxWait;
        while (true)
        {
            try
            {
                await lease.AcquireAsync(_leaseDuration, cancellationToken: cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another host holds it: it is firing this occurrence (or the one before). Wait for it.
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    _logger.LogWarning("Timer singleton {Blob}: still leased by another host after {Wait}; this host skips the occurrence", blob.Name, _maxWait);
                    return false;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                _knownBlobs.TryRemove(blob.Name, out _);
                await EnsureBlobAsync(blob, cancellationToken);
            }
        }
    }

    private async Task EnsureBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        if (_knownBlobs.ContainsKey(blob.Name)) return;
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(""), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // It exists (and may be leased right now): that is all we need.
        }
        _knownBlobs[blob.Name] = true;
    }

    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        var ready = _containerReady;
        if (ready is { IsCompletedSuccessfully: true }) return ready;
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
            _containerReady = ready = _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return ready;
    }

    private async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try { await lease.ReleaseAsync(); }
        catch (Exception e) { _logger.LogWarning("Releasing timer singleton lease failed ({Error}); it expires on its own", e.GetType().Name); }
    }

    /// <summary>The held lease: renewed at a third of its duration until disposed, then released.</summary>
    private sealed class HeldLease : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private readonly ILogger _logger;

        public HeldLease(BlobLeaseClient lease, TimeSpan duration, ILogger logger, string functionName)
        {
            _lease = lease;
            _logger = logger;
            _renewing = RenewAsync(duration / 3, functionName);
        }

        private async Task RenewAsync(TimeSpan every, string functionName)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(every, _stop.Token);
                    try { await _lease.RenewAsync(cancellationToken: _stop.Token); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _logger.LogWarning("Renewing the timer singleton lease of {Function} failed ({Error})", functionName, e.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException) { }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            await _renewing;
            try { await _lease.ReleaseAsync(); }
            catch (Exception e) { _logger.LogWarning("Releasing the timer singleton lease failed ({Error}); it expires on its own", e.GetType().Name); }
            _stop.Dispose();
        }
    }
}
