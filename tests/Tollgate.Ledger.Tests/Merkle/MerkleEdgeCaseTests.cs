using Tollgate.Ledger.Merkle;

namespace Tollgate.Ledger.Tests.Merkle;

public class MerkleEdgeCaseTests
{
    private static readonly byte[] EmptyRoot = Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    [Fact]
    public void Empty_tree()
    {
        var tree = new MerkleTree();
        Assert.Equal(0, tree.Size);
        Assert.Equal(EmptyRoot, tree.RootHash());
        Assert.Equal(EmptyRoot, tree.RootHash(0));
        Assert.Empty(tree.ConsistencyProof(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => tree.InclusionProof(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => tree.LeafHash(0));
        Assert.Equal(EmptyRoot, new CompactRange().RootHash());
        Assert.Equal(0, new CompactRange().Size);
        MerkleProofs.VerifyConsistency(0, 0, [], EmptyRoot, EmptyRoot);
    }

    [Fact]
    public void Size_one_root_is_the_leaf_hash_and_its_proof_is_empty()
    {
        var tree = new MerkleTree();
        Assert.Equal(0, tree.AppendEntry("only"u8));
        var leaf = Rfc9162Hasher.HashLeaf("only"u8);
        Assert.Equal(1, tree.Size);
        Assert.Equal(leaf, tree.RootHash());
        Assert.Equal(leaf, tree.LeafHash(0));
        Assert.Empty(tree.InclusionProof(0, 1));
        Assert.Empty(tree.ConsistencyProof(1, 1));
        MerkleProofs.VerifyInclusion(0, 1, leaf, [], leaf);
        MerkleProofs.VerifyConsistency(1, 1, [], leaf, leaf);
        Assert.Equal(Reason.IndexOutOfRange, ReasonOf(() => MerkleProofs.VerifyInclusion(1, 1, leaf, [], leaf)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyInclusion(0, 1, leaf, [leaf], leaf)));
    }

    [Fact]
    public void Last_index_of_every_size()
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(70, 7));
        for (long n = 1; n <= 70; n++)
        {
            var proof = tree.InclusionProof(n - 1, n);
            Assert.Equal(MerklePlanner.InclusionLength(n - 1, n), proof.Count);
            MerkleProofs.VerifyInclusion(n - 1, n, tree.LeafHash(n - 1), proof, tree.RootHash(n));
            Assert.Equal(Reason.IndexOutOfRange, ReasonOf(() => MerkleProofs.VerifyInclusion(n, n, tree.LeafHash(n - 1), proof, tree.RootHash(n))));
        }
    }

    [Fact]
    public void Size1_zero_is_only_consistent_with_size2_zero()
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(5, 1));
        Assert.Throws<ArgumentOutOfRangeException>("size1", () => tree.ConsistencyProof(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("size1", () => tree.ConsistencyProof(0, 5));
        Assert.Empty(tree.ConsistencyProof(0, 0));

        Assert.Equal(Reason.Size1Zero, ReasonOf(() => MerkleProofs.VerifyConsistency(0, 5, [], EmptyRoot, tree.RootHash())));
        Assert.Equal(Reason.Size1Zero, ReasonOf(() => MerkleProofs.VerifyConsistency(0, 5, [tree.RootHash()], EmptyRoot, tree.RootHash())));
        MerkleProofs.VerifyConsistency(0, 0, [], EmptyRoot, EmptyRoot);
        Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyConsistency(0, 0, [], EmptyRoot, tree.RootHash())));
    }

    [Fact]
    public void Equal_sizes_need_an_empty_proof_and_equal_roots()
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(9, 2));
        for (long n = 1; n <= 9; n++)
        {
            var root = tree.RootHash(n);
            Assert.Empty(tree.ConsistencyProof(n, n));
            MerkleProofs.VerifyConsistency(n, n, [], root, root);
            Assert.Equal(root, MerkleProofs.RootFromConsistencyProof(n, n, [], root));
            Assert.Equal(Reason.NonEmptyForEqualSizes, ReasonOf(() => MerkleProofs.VerifyConsistency(n, n, [root], root, root)));
            var mismatch = Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyConsistency(n, n, [], root, tree.RootHash(n - 1))));
            Assert.Equal(tree.RootHash(n - 1), mismatch.ExpectedRoot);
            Assert.Equal(root, mismatch.CalculatedRoot);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(256)]
    public void Power_of_two_sizes(int powerOfTwo)
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(2 * powerOfTwo + 3, powerOfTwo));
        var root1 = tree.RootHash(powerOfTwo);

        // A perfect tree: every inclusion proof has exactly log2(n) hashes, none of them recomputed.
        for (long m = 0; m < powerOfTwo; m++)
        {
            Assert.Equal(int.Log2(powerOfTwo), tree.InclusionProof(m, powerOfTwo).Count);
        }

        // Consistency from a power of two: root1 is not in the proof (RFC 9162 §2.1.4.2 step 2 prepends it).
        foreach (var n2 in new long[] { powerOfTwo + 1, 2 * powerOfTwo, (2 * powerOfTwo) + 3 })
        {
            var proof = tree.ConsistencyProof(powerOfTwo, n2);
            Assert.DoesNotContain(proof, h => h.AsSpan().SequenceEqual(root1));
            MerkleProofs.VerifyConsistency(powerOfTwo, n2, proof, root1, tree.RootHash(n2));
            Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyConsistency(powerOfTwo, n2, [root1, .. proof], root1, tree.RootHash(n2))));
        }

        // Consistency into a power of two.
        for (long n1 = 1; n1 < powerOfTwo; n1++)
        {
            MerkleProofs.VerifyConsistency(n1, powerOfTwo, tree.ConsistencyProof(n1, powerOfTwo), tree.RootHash(n1), root1);
        }
    }

    [Fact]
    public void Verification_binds_the_root_not_a_bare_tree_size()
    {
        // Known property of the RFC 9162 algorithms (and of every implementation that follows them): the
        // index/size arithmetic only fixes the shape the proof is hashed in, so an inclusion proof for leaf 0
        // of the 5-leaf tree also "verifies" as leaf 0 of a 6-leaf tree when checked against the 5-leaf root.
        // Callers must take the size and the root from the same signed checkpoint; a root then fixes the size.
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(6, 3));
        var proof = tree.InclusionProof(0, 5);
        MerkleProofs.VerifyInclusion(0, 6, tree.LeafHash(0), proof, tree.RootHash(5));
        Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyInclusion(0, 6, tree.LeafHash(0), proof, tree.RootHash(6))));
    }

    [Fact]
    public void Tree_arguments_out_of_range_name_the_parameter()
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(10, 4));
        Assert.Throws<ArgumentOutOfRangeException>("size", () => tree.RootHash(-1));
        Assert.Throws<ArgumentOutOfRangeException>("size", () => tree.RootHash(11));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => tree.LeafHash(-1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => tree.LeafHash(10));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => tree.InclusionProof(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => tree.InclusionProof(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>("size", () => tree.InclusionProof(0, 11));
        Assert.Throws<ArgumentOutOfRangeException>("size", () => tree.InclusionProof(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>("size2", () => tree.ConsistencyProof(1, 11));
        Assert.Throws<ArgumentOutOfRangeException>("size2", () => tree.ConsistencyProof(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>("size1", () => tree.ConsistencyProof(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>("size1", () => tree.ConsistencyProof(6, 5));
        Assert.Throws<ArgumentException>("leafHash", () => tree.AppendLeafHash(new byte[31]));
        Assert.Throws<ArgumentException>("leafHash", () => tree.AppendLeafHash(new byte[33]));
        Assert.Throws<ArgumentException>("leafHash", () => new CompactRange().Append(new byte[31]));
        Assert.Equal(10, tree.Size);
    }

    [Fact]
    public void Verifier_rejections_carry_reasons()
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(7, 5));
        var leaf = tree.LeafHash(3);
        var root = tree.RootHash();
        var proof = tree.InclusionProof(3, 7);

        Assert.Equal(Reason.IndexOutOfRange, ReasonOf(() => MerkleProofs.VerifyInclusion(-1, 7, leaf, proof, root)));
        Assert.Equal(Reason.IndexOutOfRange, ReasonOf(() => MerkleProofs.VerifyInclusion(7, 7, leaf, proof, root)));
        Assert.Equal(Reason.IndexOutOfRange, ReasonOf(() => MerkleProofs.VerifyInclusion(0, 0, leaf, [], root)));
        Assert.Equal(Reason.IndexOutOfRange, ReasonOf(() => MerkleProofs.VerifyInclusion(0, -3, leaf, [], root)));
        Assert.Equal(Reason.BadHashSize, ReasonOf(() => MerkleProofs.VerifyInclusion(3, 7, leaf[..31], proof, root)));
        Assert.Equal(Reason.BadHashSize, ReasonOf(() => MerkleProofs.VerifyInclusion(3, 7, leaf, [proof[0], null!, proof[2]], root)));
        Assert.Equal(Reason.BadHashSize, ReasonOf(() => MerkleProofs.VerifyInclusion(3, 7, leaf, [proof[0], proof[1][..16], proof[2]], root)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyInclusion(3, 7, leaf, proof.Take(2).ToArray(), root)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyInclusion(3, 7, leaf, [.. proof, leaf], root)));
        Assert.Throws<ArgumentNullException>("proof", () => MerkleProofs.VerifyInclusion(3, 7, leaf, null!, root));

        var mismatch = Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyInclusion(3, 7, leaf, proof, tree.RootHash(6))));
        Assert.Equal(Reason.RootMismatch, mismatch.Reason);
        Assert.Equal(tree.RootHash(6), mismatch.ExpectedRoot);
        Assert.Equal(root, mismatch.CalculatedRoot);
        Assert.Contains(Convert.ToHexStringLower(root), mismatch.Message, StringComparison.Ordinal);
        mismatch.ExpectedRoot[0] ^= 1; // a copy
        Assert.Equal(tree.RootHash(6), mismatch.ExpectedRoot);

        var root3 = tree.RootHash(3);
        var consistency = tree.ConsistencyProof(3, 7);
        Assert.Equal(Reason.SizeOutOfRange, ReasonOf(() => MerkleProofs.VerifyConsistency(-1, 7, consistency, root3, root)));
        Assert.Equal(Reason.SizeOutOfRange, ReasonOf(() => MerkleProofs.VerifyConsistency(3, -7, consistency, root3, root)));
        Assert.Equal(Reason.SizeOrder, ReasonOf(() => MerkleProofs.VerifyConsistency(7, 3, consistency, root, root3)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyConsistency(3, 7, [], root3, root)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyConsistency(3, 7, consistency.Take(consistency.Count - 1).ToArray(), root3, root)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyConsistency(3, 7, [.. consistency, root], root3, root)));
        Assert.Equal(Reason.BadHashSize, ReasonOf(() => MerkleProofs.VerifyConsistency(3, 7, consistency, root3[..8], root)));
        Assert.Equal(Reason.BadHashSize, ReasonOf(() => MerkleProofs.VerifyConsistency(3, 7, [.. consistency.Take(consistency.Count - 1), new byte[31]], root3, root)));
        Assert.Throws<ArgumentNullException>("proof", () => MerkleProofs.VerifyConsistency(3, 7, null!, root3, root));

        // A wrong first root is reported against root1, a wrong second root against root2.
        var wrong1 = Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyConsistency(3, 7, consistency, tree.RootHash(2), root)));
        Assert.Equal(tree.RootHash(2), wrong1.ExpectedRoot);
        Assert.Equal(root3, wrong1.CalculatedRoot);
        var wrong2 = Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyConsistency(3, 7, consistency, root3, tree.RootHash(6))));
        Assert.Equal(tree.RootHash(6), wrong2.ExpectedRoot);
        Assert.Equal(root, wrong2.CalculatedRoot);
    }

    [Fact]
    public void Huge_sizes_are_handled_without_overflow()
    {
        var leaf = Rfc9162Hasher.HashLeaf("x"u8);
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyInclusion(long.MaxValue - 1, long.MaxValue, leaf, [], leaf)));
        Assert.Equal(Reason.WrongLength, ReasonOf(() => MerkleProofs.VerifyConsistency(long.MaxValue - 1, long.MaxValue, [leaf], leaf, leaf)));
        Assert.Equal(63, MerklePlanner.InclusionLength(0, long.MaxValue));
        Assert.Equal(62, MerklePlanner.InclusionLength(long.MaxValue - 1, long.MaxValue)); // one sibling per other set bit
    }

    [Fact]
    public void Returned_hashes_are_copies()
    {
        var tree = MerklePropertyTests.Build(MerklePropertyTests.Entries(3, 6));
        var leaf = tree.LeafHash(1);
        var root = tree.RootHash();
        tree.LeafHash(1)[0] ^= 0xff;
        tree.RootHash()[0] ^= 0xff;
        ((byte[][])tree.InclusionProof(1, 3))[0][0] ^= 0xff;
        Assert.Equal(leaf, tree.LeafHash(1));
        Assert.Equal(root, tree.RootHash());
        MerkleProofs.VerifyInclusion(1, 3, leaf, tree.InclusionProof(1, 3), root);
    }

    [Fact]
    public void Append_entry_returns_consecutive_indices_and_hashes_large_entries()
    {
        var tree = new MerkleTree();
        var big = new byte[5000];
        new Random(1).NextBytes(big);
        Assert.Equal(0, tree.AppendEntry([]));
        Assert.Equal(1, tree.AppendEntry(big));
        Assert.Equal(2, tree.AppendEntry("c"u8));
        Assert.Equal(ReferenceMerkle.LeafHash(big), tree.LeafHash(1));
        Assert.Equal(ReferenceMerkle.Mth([[], big, "c"u8.ToArray()]), tree.RootHash());
    }

    [Fact]
    public void Planner_decomposes_ranges_into_aligned_perfect_subtrees()
    {
        Span<NodeId> nodes = stackalloc NodeId[MerklePlanner.MaxPlanLength];
        var count = MerklePlanner.RangeNodes(0, 13, nodes); // 13 = 8 + 4 + 1
        Assert.Equal([new NodeId(3, 0), new NodeId(2, 2), new NodeId(0, 12)], nodes[..count].ToArray());
        count = MerklePlanner.RangeNodes(8, 13, nodes);
        Assert.Equal([new NodeId(2, 2), new NodeId(0, 12)], nodes[..count].ToArray());
        Assert.Equal(1, MerklePlanner.SplitPoint(2));
        Assert.Equal(4, MerklePlanner.SplitPoint(8));
        Assert.Equal(8, MerklePlanner.SplitPoint(9));
        Assert.Equal(1L << 62, MerklePlanner.SplitPoint(long.MaxValue));
        for (var n = 1; n <= 40; n++)
        {
            var entries = MerklePropertyTests.Entries(n, n);
            for (var m = 0; m < n; m++)
            {
                Assert.Equal(ReferenceMerkle.Path(m, entries).Count, MerklePlanner.InclusionLength(m, n));
                Assert.Equal(ReferenceMerkle.Proof(m + 1, entries).Count, MerklePlanner.ConsistencyLength(m + 1, n));
            }
        }
    }

    [Fact]
    public async Task Readers_see_consistent_roots_and_proofs_while_the_writer_appends()
    {
        const int Size = HashLevelStore.ChunkHashes + 5000; // the writer grows chunk 0 and the chunk directory meanwhile
        var leaves = MerklePropertyTests.Entries(Size, 11).Select(entry => Rfc9162Hasher.HashLeaf(entry)).ToArray();
        var range = new CompactRange();
        var roots = new byte[Size + 1][];
        roots[0] = range.RootHash();
        for (var i = 0; i < Size; i++)
        {
            range.Append(leaves[i]);
            roots[i + 1] = range.RootHash();
        }

        var tree = new MerkleTree();
        var writer = Task.Run(() =>
        {
            foreach (var leaf in leaves)
            {
                tree.AppendLeafHash(leaf);
            }
        });

        var reads = 0;
        var random = new Random(3);
        while (!writer.IsCompleted || reads < 100)
        {
            var size = tree.Size;
            if (size == 0)
            {
                continue;
            }

            Assert.Equal(roots[size], tree.RootHash(size));
            var n = random.NextInt64(1, size + 1);
            var m = random.NextInt64(0, n);
            MerkleProofs.VerifyInclusion(m, n, leaves[m], tree.InclusionProof(m, n), roots[n]);
            var n1 = random.NextInt64(1, n + 1);
            MerkleProofs.VerifyConsistency(n1, n, tree.ConsistencyProof(n1, n), roots[n1], roots[n]);
            reads++;
        }

        await writer;
        Assert.Equal(roots[Size], tree.RootHash());
    }

    private static string ReasonOf(Action action) =>
        Assert.IsAssignableFrom<MerkleProofException>(Record.Exception(action)).Reason;

    private static class Reason
    {
        public const string IndexOutOfRange = "PROOF_INDEX_OUT_OF_RANGE";
        public const string SizeOutOfRange = "PROOF_SIZE_OUT_OF_RANGE";
        public const string SizeOrder = "PROOF_SIZE_ORDER";
        public const string Size1Zero = "PROOF_SIZE1_ZERO";
        public const string NonEmptyForEqualSizes = "PROOF_NON_EMPTY_FOR_EQUAL_SIZES";
        public const string WrongLength = "PROOF_WRONG_LENGTH";
        public const string BadHashSize = "PROOF_BAD_HASH_SIZE";
        public const string RootMismatch = "PROOF_ROOT_MISMATCH";
    }
}
