namespace Tollgate.Ledger.Merkle;

/// <summary>
/// Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, as pure
/// functions over byte arrays, following the RFC's step-by-step algorithms. Each <c>VerifyX</c> is
/// <c>RootFromX</c> followed by a comparison with the supplied root.
/// </summary>
/// <remarks>
/// Every rejection is a <see cref="MerkleProofException"/> whose <see cref="MerkleProofException.Reason"/>
/// is one of <see cref="MerkleProofReasons"/>; a root that does not match is a
/// <see cref="RootMismatchException"/> carrying both roots. A null proof list is a programming error
/// (<see cref="ArgumentNullException"/>); a null element is a bad hash.
/// </remarks>
public static class MerkleProofs
{
    private const int HashSize = Rfc9162Hasher.HashSize;

    /// <summary>
    /// The root that <paramref name="proof"/> leads to from leaf <paramref name="index"/> with hash
    /// <paramref name="leafHash"/> in a tree of <paramref name="size"/> leaves (RFC 9162 §2.1.3.2 steps 1-5,
    /// without the final comparison with a root).
    /// </summary>
    /// <exception cref="MerkleProofException">
    /// <c>PROOF_INDEX_OUT_OF_RANGE</c> unless 0 &lt;= index &lt; size; <c>PROOF_BAD_HASH_SIZE</c> if the leaf hash
    /// or an element is not 32 bytes; <c>PROOF_WRONG_LENGTH</c> if the proof is too short or too long.
    /// </exception>
    public static byte[] RootFromInclusionProof(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);

        // Step 1: leaf_index must be below tree_size.
        if (index < 0 || index >= size)
        {
            throw new MerkleProofException(MerkleProofReasons.IndexOutOfRange, $"leaf index {index} is not in [0, tree size {size}).");
        }

        if (leafHash.Length != HashSize)
        {
            throw new MerkleProofException(MerkleProofReasons.BadHashSize, $"the leaf hash has {leafHash.Length} bytes, not {HashSize}.");
        }

        CheckElements(proof);

        // Steps 2 and 3.
        long fn = index, sn = size - 1;
        Span<byte> r = stackalloc byte[HashSize];
        leafHash.CopyTo(r);

        // Step 4.
        for (var i = 0; i < proof.Count; i++)
        {
            if (sn == 0)
            {
                throw WrongInclusionLength(index, size, proof.Count);
            }

            var p = proof[i];
            if ((fn & 1) == 1 || fn == sn)
            {
                Rfc9162Hasher.HashChildren(p, r, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                Rfc9162Hasher.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 5 (first half): sn must have reached 0, i.e. the path was long enough.
        if (sn != 0)
        {
            throw WrongInclusionLength(index, size, proof.Count);
        }

        return r.ToArray();
    }

    /// <summary>
    /// Verifies that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of
    /// <paramref name="size"/> leaves whose root is <paramref name="root"/> (RFC 9162 §2.1.3.2).
    /// </summary>
    /// <exception cref="MerkleProofException">As <see cref="RootFromInclusionProof"/>.</exception>
    /// <exception cref="RootMismatchException">The proof leads to another root.</exception>
    public static void VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        var calculated = RootFromInclusionProof(index, size, leafHash, proof);
        VerifyMatch(calculated, root);
    }

    /// <summary>
    /// Checks the consistency proof against <paramref name="root1"/> and returns the root of the tree of
    /// <paramref name="size2"/> leaves that it leads to (RFC 9162 §2.1.4.2, all but the comparison of
    /// the second root). For <paramref name="size1"/> == <paramref name="size2"/> the proof must be empty and
    /// <paramref name="root1"/> is returned.
    /// </summary>
    /// <exception cref="MerkleProofException">
    /// <c>PROOF_SIZE_OUT_OF_RANGE</c> for a negative size; <c>PROOF_SIZE_ORDER</c> if size1 &gt; size2;
    /// <c>PROOF_NON_EMPTY_FOR_EQUAL_SIZES</c>; <c>PROOF_SIZE1_ZERO</c> if 0 == size1 &lt; size2 (undefined in the RFC);
    /// <c>PROOF_WRONG_LENGTH</c> for an empty, short or long path; <c>PROOF_BAD_HASH_SIZE</c> if root1 or an
    /// element is not 32 bytes.
    /// </exception>
    /// <exception cref="RootMismatchException">The proof does not lead to <paramref name="root1"/>.</exception>
    public static byte[] RootFromConsistencyProof(long size1, long size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1)
    {
        ArgumentNullException.ThrowIfNull(proof);

        if (size1 < 0 || size2 < 0)
        {
            throw new MerkleProofException(MerkleProofReasons.SizeOutOfRange, $"tree sizes must not be negative (size1 {size1}, size2 {size2}).");
        }

        if (size1 > size2)
        {
            throw new MerkleProofException(MerkleProofReasons.SizeOrder, $"size1 {size1} is greater than size2 {size2}.");
        }

        if (size1 == size2)
        {
            if (proof.Count != 0)
            {
                throw new MerkleProofException(MerkleProofReasons.NonEmptyForEqualSizes, $"size1 == size2 == {size1} but the proof has {proof.Count} hashes.");
            }

            return root1.ToArray();
        }

        if (size1 == 0)
        {
            throw new MerkleProofException(MerkleProofReasons.Size1Zero, "a consistency proof from the empty tree is undefined (RFC 9162 §2.1.4 requires 0 < size1).");
        }

        // Step 1.
        if (proof.Count == 0)
        {
            throw new MerkleProofException(MerkleProofReasons.WrongLength, $"the consistency path from {size1} to {size2} is empty.");
        }

        if (root1.Length != HashSize)
        {
            throw new MerkleProofException(MerkleProofReasons.BadHashSize, $"root1 has {root1.Length} bytes, not {HashSize}.");
        }

        CheckElements(proof);

        // Step 2: if size1 is an exact power of 2, root1 is the first element of the path.
        var prependRoot1 = (size1 & (size1 - 1)) == 0;
        var pathLength = proof.Count + (prependRoot1 ? 1 : 0);

        // Step 3.
        long fn = size1 - 1, sn = size2 - 1;

        // Step 4.
        if ((fn & 1) == 1)
        {
            while ((fn & 1) == 1)
            {
                fn >>= 1;
                sn >>= 1;
            }
        }

        // Step 5.
        Span<byte> fr = stackalloc byte[HashSize];
        Span<byte> sr = stackalloc byte[HashSize];
        ReadOnlySpan<byte> first = prependRoot1 ? root1 : proof[0];
        first.CopyTo(fr);
        first.CopyTo(sr);

        // Step 6.
        for (var i = 1; i < pathLength; i++)
        {
            ReadOnlySpan<byte> c = prependRoot1 ? proof[i - 1] : proof[i];
            if (sn == 0)
            {
                throw WrongConsistencyLength(size1, size2, proof.Count);
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                Rfc9162Hasher.HashChildren(c, fr, fr);
                Rfc9162Hasher.HashChildren(c, sr, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                Rfc9162Hasher.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 7: sn must be 0 and fr must be root1 (sr is compared with root2 by the caller).
        if (sn != 0)
        {
            throw WrongConsistencyLength(size1, size2, proof.Count);
        }

        VerifyMatch(fr, root1);
        return sr.ToArray();
    }

    /// <summary>
    /// Verifies that the tree of <paramref name="size1"/> leaves with root <paramref name="root1"/> is a
    /// prefix of the tree of <paramref name="size2"/> leaves with root <paramref name="root2"/> (RFC 9162 §2.1.4.2).
    /// Equal sizes need an empty proof and equal roots.
    /// </summary>
    /// <exception cref="MerkleProofException">As <see cref="RootFromConsistencyProof"/>.</exception>
    /// <exception cref="RootMismatchException">The proof leads to a root other than <paramref name="root1"/> or <paramref name="root2"/>.</exception>
    public static void VerifyConsistency(long size1, long size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        var calculated = RootFromConsistencyProof(size1, size2, proof, root1);
        VerifyMatch(calculated, root2);
    }

    private static void VerifyMatch(ReadOnlySpan<byte> calculated, ReadOnlySpan<byte> expected)
    {
        if (!calculated.SequenceEqual(expected))
        {
            throw new RootMismatchException(expected, calculated);
        }
    }

    private static void CheckElements(IReadOnlyList<byte[]> proof)
    {
        for (var i = 0; i < proof.Count; i++)
        {
            var element = proof[i];
            if (element is null || element.Length != HashSize)
            {
                throw new MerkleProofException(
                    MerkleProofReasons.BadHashSize,
                    $"proof element {i} has {(element is null ? "no" : element.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes, not {HashSize}.");
            }
        }
    }

    private static MerkleProofException WrongInclusionLength(long index, long size, int actual) =>
        new(MerkleProofReasons.WrongLength, $"an inclusion proof for leaf {index} in a tree of {size} has {MerklePlanner.InclusionLength(index, size)} hashes, got {actual}.");

    private static MerkleProofException WrongConsistencyLength(long size1, long size2, int actual) =>
        new(MerkleProofReasons.WrongLength, $"a consistency proof from {size1} to {size2} has {MerklePlanner.ConsistencyLength(size1, size2)} hashes, got {actual}.");
}
