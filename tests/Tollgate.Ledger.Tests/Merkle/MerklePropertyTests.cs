using CsCheck;
using Tollgate.Ledger.Merkle;

namespace Tollgate.Ledger.Tests.Merkle;

/// <summary>
/// CsCheck properties: <see cref="MerkleTree"/>, <see cref="CompactRange"/> and <see cref="MerkleProofs"/>
/// against the naive RFC 9162 reference (<see cref="ReferenceMerkle"/>) on random trees.
/// </summary>
public class MerklePropertyTests
{
    // (size, seed): trees of up to ~300 leaves with seed-dependent contents.
    private static readonly Gen<(int Size, int Seed)> SmallTree = Gen.Select(Gen.Int[1, 300], Gen.Int);

    [Fact]
    public void Roots_and_proofs_equal_the_reference_definitions()
    {
        SmallTree.Sample((size, seed) =>
        {
            var entries = Entries(size, seed);
            var tree = Build(entries);
            var random = new Random(seed);

            // MTH at every size.
            for (var n = 0; n <= size; n++)
            {
                Assert.Equal(ReferenceMerkle.Mth(entries.AsSpan(0, n)), tree.RootHash(n));
            }

            // PATH for every leaf of the whole tree, and of one random smaller tree.
            var smaller = random.Next(1, size + 1);
            foreach (var n in new[] { size, smaller })
            {
                for (var m = 0; m < n; m++)
                {
                    AssertSame(ReferenceMerkle.Path(m, entries.AsSpan(0, n)), tree.InclusionProof(m, n));
                }
            }

            // PROOF from every size1 to the whole tree, and to one random size2.
            var size2 = random.Next(1, size + 1);
            foreach (var n in new[] { size, size2 })
            {
                for (var m = 1; m <= n; m++)
                {
                    AssertSame(ReferenceMerkle.Proof(m, entries.AsSpan(0, n)), tree.ConsistencyProof(m, n));
                }
            }
        }, iter: 40);
    }

    /// <summary>
    /// Bulk appends in random runs (some long enough to hash a level on every core) build the same tree as
    /// appending leaf by leaf: the same root at every size and the same cached nodes for proofs.
    /// </summary>
    [Fact]
    public void Appending_leaf_hashes_in_runs_builds_the_tree_leaf_by_leaf_appends_build()
    {
        Gen.Select(Gen.Int[1, 5000], Gen.Int).Sample((size, seed) =>
        {
            var random = new Random(seed);
            var leaves = new byte[size * Rfc9162Hasher.HashSize];
            random.NextBytes(leaves);
            var single = new MerkleTree();
            for (var i = 0; i < size; i++) single.AppendLeafHash(leaves.AsSpan(i * Rfc9162Hasher.HashSize, Rfc9162Hasher.HashSize));

            var runs = new MerkleTree();
            while (runs.Size < size)
            {
                var run = (int)Math.Min(size - runs.Size, random.Next(2) == 0 ? random.Next(1, 8) : random.Next(1, 3000));
                runs.AppendLeafHashes(leaves.AsSpan((int)runs.Size * Rfc9162Hasher.HashSize, run * Rfc9162Hasher.HashSize));
            }

            for (long n = 0; n <= size; n += 1 + (n / 16)) Assert.Equal(single.RootHash(n), runs.RootHash(n));
            Assert.Equal(single.RootHash(size), runs.RootHash(size));
            var leaf = random.NextInt64(size);
            AssertSame([.. single.InclusionProof(leaf, size)], runs.InclusionProof(leaf, size));
            var first = random.NextInt64(1, size + 1);
            AssertSame([.. single.ConsistencyProof(first, size)], runs.ConsistencyProof(first, size));
        }, iter: 60);
    }

    [Fact]
    public void Leaf_hashes_in_runs_must_be_whole_hashes()
    {
        var tree = new MerkleTree();
        Assert.Throws<ArgumentException>(() => tree.AppendLeafHashes(new byte[33]));
        Assert.Equal(0, tree.Size);
    }

    [Fact]
    public void Every_inclusion_proof_for_every_index_and_size_verifies()
    {
        SmallTree.Sample((size, seed) =>
        {
            var tree = Build(Entries(size, seed));
            for (long n = 1; n <= size; n++)
            {
                var root = tree.RootHash(n);
                for (long m = 0; m < n; m++)
                {
                    var leaf = tree.LeafHash(m);
                    var proof = tree.InclusionProof(m, n);
                    MerkleProofs.VerifyInclusion(m, n, leaf, proof, root);
                    Assert.Equal(root, MerkleProofs.RootFromInclusionProof(m, n, leaf, proof));
                }
            }
        }, iter: 6);
    }

    [Fact]
    public void Every_consistency_proof_for_every_pair_of_sizes_verifies()
    {
        SmallTree.Sample((size, seed) =>
        {
            var tree = Build(Entries(size, seed));
            var roots = Enumerable.Range(0, size + 1).Select(n => tree.RootHash(n)).ToArray();
            for (var n2 = 0; n2 <= size; n2++)
            {
                // size1 == 0 is only defined against size2 == 0 (covered by MerkleEdgeCaseTests).
                for (var n1 = n2 == 0 ? 0 : 1; n1 <= n2; n1++)
                {
                    var proof = tree.ConsistencyProof(n1, n2);
                    MerkleProofs.VerifyConsistency(n1, n2, proof, roots[n1], roots[n2]);
                    Assert.Equal(roots[n2], MerkleProofs.RootFromConsistencyProof(n1, n2, proof, roots[n1]));
                }
            }
        }, iter: 6);
    }

    [Fact]
    public void Compact_range_root_equals_tree_root_at_every_size()
    {
        SmallTree.Sample((size, seed) =>
        {
            var tree = new MerkleTree();
            var range = new CompactRange();
            Assert.Equal(tree.RootHash(), range.RootHash());
            foreach (var entry in Entries(size, seed))
            {
                var leaf = Rfc9162Hasher.HashLeaf(entry);
                tree.AppendLeafHash(leaf);
                range.Append(leaf);
                Assert.Equal(tree.Size, range.Size);
                Assert.Equal(tree.RootHash(), range.RootHash());
            }
        }, iter: 100);
    }

    [Fact]
    public void Tampered_inclusion_proofs_fail()
    {
        Gen.Select(SmallTree, Gen.Int, Gen.Int, Gen.Int).Sample((tree0, a, b, c) =>
        {
            var (size, seed) = tree0;
            var tree = Build(Entries(size, seed));
            var random = new Random(a);
            var n = random.Next(1, size + 1);
            var m = random.Next(0, n);
            var leaf = tree.LeafHash(m);
            var root = tree.RootHash(n);
            var proof = tree.InclusionProof(m, n).ToArray();

            // Wrong leaf.
            var wrongLeaf = (byte[])leaf.Clone();
            wrongLeaf[b & 31] ^= (byte)(1 << (c & 7));
            AssertFails(() => MerkleProofs.VerifyInclusion(m, n, wrongLeaf, proof, root));
            AssertFails(() => MerkleProofs.VerifyInclusion(m, n, tree.LeafHash((m + 1) % n), proof, root), unlessEqual: n == 1);

            // Wrong root.
            var wrongRoot = (byte[])root.Clone();
            wrongRoot[c & 31] ^= 0x80;
            Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyInclusion(m, n, leaf, proof, wrongRoot)));

            // Any other index (in range or not), against the same root: it verifies only if the proof is
            // exactly that index's own proof and the leaf is that index's leaf.
            foreach (var m2 in new long[] { m - 1, m + 1, m ^ 1, m ^ 2, random.Next(0, n), n, -1 })
            {
                if (m2 == m)
                {
                    continue;
                }

                AssertFails(() => MerkleProofs.VerifyInclusion(m2, n, leaf, proof, root));
            }

            // Any other size, against that size's own root.
            for (var i = 0; i < 4; i++)
            {
                var n2 = random.Next(m + 1, size + 1);
                if (n2 == n)
                {
                    continue;
                }

                var canonical = tree.InclusionProof(m, n2);
                AssertFails(() => MerkleProofs.VerifyInclusion(m, n2, leaf, proof, tree.RootHash(n2)), unlessEqual: Same(canonical, proof));
            }

            // (A size beyond the tree cannot be checked this way: the RFC algorithm binds the root, not the
            // size on its own; see MerkleEdgeCaseTests.Verification_binds_the_root_not_a_bare_tree_size.)

            // Every single-bit flip of every element.
            for (var i = 0; i < proof.Length; i++)
            {
                var flipped = Clone(proof);
                flipped[i][b & 31] ^= (byte)(1 << (c & 7));
                AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, flipped, root));
            }

            // Truncated, extended, an element removed, an element inserted, two elements swapped.
            if (proof.Length > 0)
            {
                AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, proof[..^1], root));
                var removeAt = random.Next(proof.Length);
                AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, [.. proof[..removeAt], .. proof[(removeAt + 1)..]], root));
            }

            var extra = Rfc9162Hasher.HashLeaf(BitConverter.GetBytes(c));
            AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, [.. proof, extra], root));
            AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, [.. proof, root], root));
            var insertAt = random.Next(proof.Length + 1);
            AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, [.. proof[..insertAt], extra, .. proof[insertAt..]], root));
            if (proof.Length > 1)
            {
                var i = random.Next(proof.Length - 1);
                var swapped = Clone(proof);
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                AssertFails(() => MerkleProofs.VerifyInclusion(m, n, leaf, swapped, root), unlessEqual: Same(swapped, proof));
            }
        }, iter: 300);
    }

    [Fact]
    public void Tampered_consistency_proofs_fail()
    {
        Gen.Select(Gen.Int[2, 300], Gen.Int, Gen.Int, Gen.Int).Sample((size, seed, b, c) =>
        {
            var tree = Build(Entries(size, seed));
            var random = new Random(seed ^ b);
            var n2 = random.Next(2, size + 1);
            var n1 = random.Next(1, n2);
            var root1 = tree.RootHash(n1);
            var root2 = tree.RootHash(n2);
            var proof = tree.ConsistencyProof(n1, n2).ToArray();
            Assert.NotEmpty(proof);

            // Wrong roots.
            var wrong1 = (byte[])root1.Clone();
            wrong1[b & 31] ^= 0x01;
            var wrong2 = (byte[])root2.Clone();
            wrong2[c & 31] ^= 0x01;
            Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyConsistency(n1, n2, proof, wrong1, root2)));
            Assert.IsType<RootMismatchException>(Record.Exception(() => MerkleProofs.VerifyConsistency(n1, n2, proof, root1, wrong2)));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, proof, root2, root1));

            // Other sizes against their own roots: verifies only if the proof is exactly theirs. (A bare
            // size with the original roots is not bound by the RFC algorithm; see MerkleEdgeCaseTests.)
            foreach (var (s1, s2) in new[] { (n1 - 1, n2), (n1 + 1, n2), (n1 ^ 2, n2), (n1, n2 + 1), (n1, n2 - 1), (n1, 2 * n2), (n1, n2 / 2) })
            {
                if (s1 <= 0 || s1 > s2)
                {
                    AssertFails(() => MerkleProofs.VerifyConsistency(s1, s2, proof, root1, root2));
                    continue;
                }

                if (s2 > size)
                {
                    continue; // no root of that size to check against (sizes beyond the tree: see above)
                }

                var canonical = tree.ConsistencyProof(s1, s2);
                AssertFails(
                    () => MerkleProofs.VerifyConsistency(s1, s2, proof, tree.RootHash(s1), tree.RootHash(s2)),
                    unlessEqual: Same(canonical, proof));
            }

            // Every single-bit flip of every element.
            for (var i = 0; i < proof.Length; i++)
            {
                var flipped = Clone(proof);
                flipped[i][b & 31] ^= (byte)(1 << (c & 7));
                AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, flipped, root1, root2));
            }

            // Truncated, extended, an element removed or inserted, empty.
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, proof[..^1], root1, root2));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [.. proof, root1], root1, root2));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [.. proof, root2], root1, root2));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [root1, .. proof], root1, root2));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [proof[0], .. proof], root1, root2));
            var removeAt = random.Next(proof.Length);
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [.. proof[..removeAt], .. proof[(removeAt + 1)..]], root1, root2));
            var insertAt = random.Next(proof.Length + 1);
            var extra = Rfc9162Hasher.HashLeaf(BitConverter.GetBytes(c));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [.. proof[..insertAt], extra, .. proof[insertAt..]], root1, root2));
            AssertFails(() => MerkleProofs.VerifyConsistency(n1, n2, [], root1, root2));
        }, iter: 300);
    }

    [Theory]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(HashLevelStore.ChunkHashes + 1)] // crosses the 1 MiB chunk boundary of level 0
    [InlineData((2 * HashLevelStore.ChunkHashes) + 777)] // several chunks on levels 0 and 1
    public void Larger_trees_agree_with_the_reference_and_the_compact_range(int size)
    {
        var entries = Entries(size, size);
        var tree = Build(entries);
        var range = new CompactRange();
        var roots = new byte[size + 1][];
        roots[0] = range.RootHash();
        for (var i = 0; i < size; i++)
        {
            range.Append(Rfc9162Hasher.HashLeaf(entries[i]));
            roots[i + 1] = range.RootHash();
        }

        Assert.Equal(ReferenceMerkle.Mth(entries), tree.RootHash());
        Assert.Equal(ReferenceMerkle.Mth(entries.AsSpan(0, size - 1)), tree.RootHash(size - 1));
        for (var n = 0; n <= size; n++)
        {
            Assert.Equal(roots[n], tree.RootHash(n));
        }

        var random = new Random(size);
        for (var i = 0; i < 300; i++)
        {
            var n2 = random.Next(1, size + 1);
            var n1 = random.Next(1, n2 + 1);
            var m = random.Next(0, n2);
            MerkleProofs.VerifyInclusion(m, n2, tree.LeafHash(m), tree.InclusionProof(m, n2), roots[n2]);
            MerkleProofs.VerifyConsistency(n1, n2, tree.ConsistencyProof(n1, n2), roots[n1], roots[n2]);
        }

        // A few against the reference itself (each reference call is O(n)).
        foreach (var m in new[] { 0, size / 3, size - 2, size - 1 })
        {
            AssertSame(ReferenceMerkle.Path(m, entries), tree.InclusionProof(m, size));
            AssertSame(ReferenceMerkle.Proof(m + 1, entries), tree.ConsistencyProof(m + 1, size));
        }
    }

    internal static byte[][] Entries(int size, int seed)
    {
        var random = new Random(seed);
        var entries = new byte[size][];
        for (var i = 0; i < size; i++)
        {
            // Distinct by construction (the index is part of every entry), random in length and content.
            var entry = new byte[4 + random.Next(0, 40)];
            random.NextBytes(entry);
            BitConverter.TryWriteBytes(entry, i);
            entries[i] = entry;
        }

        return entries;
    }

    internal static MerkleTree Build(byte[][] entries)
    {
        var tree = new MerkleTree();
        foreach (var entry in entries)
        {
            tree.AppendEntry(entry);
        }

        return tree;
    }

    private static void AssertFails(Action verify, bool unlessEqual = false)
    {
        var error = Record.Exception(verify);
        if (unlessEqual)
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.IsAssignableFrom<MerkleProofException>(error);
    }

    private static bool Same(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));

    private static byte[][] Clone(byte[][] proof) => [.. proof.Select(h => (byte[])h.Clone())];

    private static void AssertSame(List<byte[]> expected, IReadOnlyList<byte[]> actual) =>
        Assert.Equal(expected.Select(Convert.ToHexStringLower), actual.Select(Convert.ToHexStringLower));
}
