namespace Tollgate.Ledger.Notes;

/// <summary>
/// A well-formed note that the verifier's key does not vouch for: <see cref="NoteReason.BadSignature"/> or
/// <see cref="NoteReason.Unsigned"/>.
/// </summary>
public sealed class NoteVerificationException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code (see <see cref="NoteReason"/>).</summary>
    public string Reason { get; } = reason;
}
