namespace Tollgate.Ledger.Merkle;

/// <summary>Stable machine-readable reasons carried by <see cref="MerkleProofException.Reason"/>.</summary>
public static class MerkleProofReasons
{
    /// <summary>Inclusion: the leaf index is negative or not below the tree size (RFC 9162 §2.1.3.2 step 1).</summary>
    public const string IndexOutOfRange = "PROOF_INDEX_OUT_OF_RANGE";

    /// <summary>Consistency: a tree size is negative.</summary>
    public const string SizeOutOfRange = "PROOF_SIZE_OUT_OF_RANGE";

    /// <summary>Consistency: size1 is greater than size2.</summary>
    public const string SizeOrder = "PROOF_SIZE_ORDER";

    /// <summary>Consistency: size1 is 0 and size2 is not; RFC 9162 §2.1.4 defines consistency only for 0 &lt; size1.</summary>
    public const string Size1Zero = "PROOF_SIZE1_ZERO";

    /// <summary>Consistency: size1 == size2 but the proof is not empty.</summary>
    public const string NonEmptyForEqualSizes = "PROOF_NON_EMPTY_FOR_EQUAL_SIZES";

    /// <summary>The proof has too few or too many hashes for the given index and sizes (including an empty consistency path).</summary>
    public const string WrongLength = "PROOF_WRONG_LENGTH";

    /// <summary>A proof element, the leaf hash, or a root that must be hashed is not 32 bytes.</summary>
    public const string BadHashSize = "PROOF_BAD_HASH_SIZE";

    /// <summary>The root computed from the proof differs from the root supplied.</summary>
    public const string RootMismatch = "PROOF_ROOT_MISMATCH";
}

/// <summary>A Merkle inclusion or consistency proof was rejected. <see cref="Reason"/> says why.</summary>
public class MerkleProofException : Exception
{
    /// <summary>Creates the exception with one of the <see cref="MerkleProofReasons"/> codes.</summary>
    public MerkleProofException(string reason, string message)
        : base($"{reason}: {message}")
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Reason = reason;
    }

    /// <summary>One of the <see cref="MerkleProofReasons"/> codes, e.g. <c>PROOF_WRONG_LENGTH</c>.</summary>
    public string Reason { get; }
}

/// <summary>
/// The proof was well formed but the root it leads to is not the root supplied
/// (reason <c>PROOF_ROOT_MISMATCH</c>). Carries both roots.
/// </summary>
public sealed class RootMismatchException : MerkleProofException
{
    private readonly byte[] _expectedRoot;
    private readonly byte[] _calculatedRoot;

    /// <summary>Creates the exception; both roots are copied.</summary>
    public RootMismatchException(ReadOnlySpan<byte> expectedRoot, ReadOnlySpan<byte> calculatedRoot)
        : base(
            MerkleProofReasons.RootMismatch,
            $"calculated root {Convert.ToHexStringLower(calculatedRoot)} does not match expected root {Convert.ToHexStringLower(expectedRoot)}")
    {
        _expectedRoot = expectedRoot.ToArray();
        _calculatedRoot = calculatedRoot.ToArray();
    }

    /// <summary>The root the caller supplied (a copy).</summary>
    public byte[] ExpectedRoot => (byte[])_expectedRoot.Clone();

    /// <summary>The root the proof leads to (a copy).</summary>
    public byte[] CalculatedRoot => (byte[])_calculatedRoot.Clone();
}
