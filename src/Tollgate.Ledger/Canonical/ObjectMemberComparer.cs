namespace Tollgate.Ledger.Canonical;

/// <summary>Sorts <see cref="ObjectMember"/>s by name; a struct so the generic sort neither boxes nor allocates.</summary>
internal readonly struct ObjectMemberComparer(ByteBuffer keys) : IComparer<ObjectMember>
{
    public int Compare(ObjectMember x, ObjectMember y)
        => Utf16KeyOrder.Compare(keys.Slice(x.KeyStart, x.KeyLength), keys.Slice(y.KeyStart, y.KeyLength));
}
