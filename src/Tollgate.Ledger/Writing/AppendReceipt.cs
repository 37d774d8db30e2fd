namespace Tollgate.Ledger.Writing;

/// <summary>What an append returns once the entry is stored and covered by a signed checkpoint.</summary>
/// <param name="Existing">The key was already in the ledger with this content; nothing new was written.</param>
/// <param name="TreeSize">The size of the checkpoint that covers the entry.</param>
public sealed record AppendReceipt(long Index, string Key, string LeafHash, bool Existing, long TreeSize);
