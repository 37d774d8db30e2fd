using Azure.Core;
using Azure.Core.Pipeline;

namespace Tollgate.Durable.AzureStorage;

/// <summary>The storage services a task hub uses.</summary>
public enum StorageService
{
    Table,
    Queue,
    Blob,
}

/// <summary>Storage transactions counted so far, by service.</summary>
public readonly record struct StorageTransactionCounts(long Table, long Queue, long Blob)
{
    public long Total => Table + Queue + Blob;

    public static StorageTransactionCounts operator -(StorageTransactionCounts after, StorageTransactionCounts before)
        => new(after.Table - before.Table, after.Queue - before.Queue, after.Blob - before.Blob);

    public override string ToString() => $"table {Table}, queue {Queue}, blob {Blob}, total {Total}";
}

/// <summary>
/// Counts storage transactions: every HTTP request the backend's clients send, retries included
/// (it sits in each client's pipeline once per attempt, <see cref="HttpPipelinePosition.PerRetry"/>).
/// An entity-group transaction is one request and so one transaction, as Azure bills it.
/// Thread-safe.
/// </summary>
public sealed class StorageTransactionCounter
{
    private long _table, _queue, _blob;

    public long Table => Interlocked.Read(ref _table);
    public long Queue => Interlocked.Read(ref _queue);
    public long Blob => Interlocked.Read(ref _blob);
    public long Total => Table + Queue + Blob;

    /// <summary>A consistent-enough snapshot of the three counts (each read atomically).</summary>
    public StorageTransactionCounts Read() => new(Table, Queue, Blob);

    /// <summary>Counts one request to <paramref name="service"/>.</summary>
    public void Count(StorageService service)
    {
        switch (service)
        {
            case StorageService.Table: Interlocked.Increment(ref _table); break;
            case StorageService.Queue: Interlocked.Increment(ref _queue); break;
            case StorageService.Blob: Interlocked.Increment(ref _blob); break;
            default: throw new ArgumentOutOfRangeException(nameof(service), service, null);
        }
    }

    /// <summary>The policy to add to a client of <paramref name="service"/> at <see cref="HttpPipelinePosition.PerRetry"/>.</summary>
    public HttpPipelinePolicy PolicyFor(StorageService service) => new CountingPolicy(this, service);

    /// <summary>Adds the counting policy to a client's options.</summary>
    public void AttachTo(ClientOptions options, StorageService service)
        => options.AddPolicy(PolicyFor(service), HttpPipelinePosition.PerRetry);

    public override string ToString() => Read().ToString();

    private sealed class CountingPolicy(StorageTransactionCounter counter, StorageService service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Count(service);
    }
}
