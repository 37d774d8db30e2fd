namespace Tollgate.Evidence;

/// <summary>
/// A line of the audit index as it was when recorded elsewhere (the ledger, from an append's
/// <c>line_number</c> and <c>line_sha256</c> facts). A hash chain cannot see its own tail being cut
/// off; an anchor can: the index must still hold this line, byte for byte.
/// </summary>
/// <param name="LineNumber">1-based line number.</param>
/// <param name="LineSha256">SHA-256 of that line's bytes without its newline.</param>
public sealed record IndexAnchor(long LineNumber, string LineSha256);
