namespace Tollgate.Ledger.Canonical;

/// <summary>
/// One object member while its object is being written: where its unescaped name sits in the key arena, and where
/// its already canonical <c>"name":value</c> bytes sit in the output, so sorting moves bytes rather than re-encoding.
/// </summary>
internal readonly record struct ObjectMember(int KeyStart, int KeyLength, int Start, int Length);
