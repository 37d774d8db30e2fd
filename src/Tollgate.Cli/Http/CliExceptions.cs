namespace Tollgate.Cli.Http;

/// <summary>The request was refused, by the host (4xx/5xx with a reason code) or before sending it.</summary>
public sealed class RequestRefusedException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>Nothing answered at the endpoint.</summary>
public sealed class HostUnreachableException(Uri endpoint, string detail) : Exception($"cannot reach the Tollgate host at {endpoint} ({detail})")
{
    public Uri Endpoint { get; } = endpoint;
}
