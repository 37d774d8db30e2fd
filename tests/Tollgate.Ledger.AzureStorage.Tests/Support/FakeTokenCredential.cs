using Azure.Core;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>Hands out <see cref="FakeKeyVaultTransport.AccessToken"/> for any scope, and counts the requests.</summary>
internal sealed class FakeTokenCredential : TokenCredential
{
    private int requests;

    public int Requests => Volatile.Read(ref requests);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref requests);
        return new AccessToken(FakeKeyVaultTransport.AccessToken, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
