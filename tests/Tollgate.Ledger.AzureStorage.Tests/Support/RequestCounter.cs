using Azure.Core;
using Azure.Core.Pipeline;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>
/// Counts the HTTP requests a client sends, retries included, as the durable engine's transaction counter does:
/// an entity-group transaction is one request, as Azure bills it.
/// </summary>
public sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public T AttachTo<T>(T options) where T : ClientOptions
    {
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
}
