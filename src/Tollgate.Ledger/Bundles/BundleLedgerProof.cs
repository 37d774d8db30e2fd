namespace Tollgate.Ledger.Bundles;

/// <summary>One entry's proof in <c>ledger-proofs.json</c>: its index, leaf hash and RFC 9162 inclusion path.</summary>
public sealed record BundleLedgerProof(long Index, byte[] LeafHash, IReadOnlyList<byte[]> InclusionProof);
