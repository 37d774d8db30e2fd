namespace Tollgate.Ledger.Canonical;

/// <summary>An object being written: where its members and names begin, and whether they have arrived sorted so far.</summary>
internal struct ObjectFrame(int memberBase, int keyMark)
{
    public int MemberBase { get; } = memberBase;

    public int KeyMark { get; } = keyMark;

    public bool InOrder { get; set; } = true;
}
