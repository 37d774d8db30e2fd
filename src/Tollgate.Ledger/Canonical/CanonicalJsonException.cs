namespace Tollgate.Ledger.Canonical;

/// <summary>
/// JSON that has no RFC 8785 canonical form: it is not strict I-JSON, or it breaks a limit.
/// <see cref="Reason"/> is one of the stable codes in <see cref="CanonicalJsonReason"/>.
/// </summary>
public sealed class CanonicalJsonException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code (see <see cref="CanonicalJsonReason"/>).</summary>
    public string Reason { get; } = reason;
}
