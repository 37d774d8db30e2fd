namespace Tollgate.Ledger.Notes;

/// <summary>
/// Text that is not a well-formed signed note, verifier key, key name or private key (c2sp.org/signed-note).
/// <see cref="Reason"/> is one of the stable codes in <see cref="NoteReason"/>. Messages never quote key material.
/// </summary>
public class NoteFormatException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code (see <see cref="NoteReason"/>).</summary>
    public string Reason { get; } = reason;
}
