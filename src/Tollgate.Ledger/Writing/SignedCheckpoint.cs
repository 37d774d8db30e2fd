namespace Tollgate.Ledger.Writing;

/// <summary>A checkpoint as published: its size, root and the signed note text.</summary>
public sealed record SignedCheckpoint(long Size, byte[] RootHash, string Note);
