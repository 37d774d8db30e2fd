using Tollgate.Ledger.Merkle;

namespace Tollgate.Ledger.Tests.Merkle;

/// <summary>
/// The 8-leaf reference tree of the certificate-transparency C++ merkle_tree_test, as carried by
/// transparency-dev/merkle testonly/constants.go (leaves, node hashes, roots) and
/// proof/verify_test.go, testonly/reference_test.go (inclusion and consistency proofs).
/// </summary>
public class KnownAnswerTests
{
    internal static readonly string[] LeafInputsHex =
    [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ];

    // Roots indexed by tree size 0..8.
    internal static readonly string[] RootsHex =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    // Hashes of every complete subtree, [level][index].
    private static readonly string[][] NodeHashesHex =
    [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        [
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ],
    ];

    public static TheoryData<long, long, string[]> InclusionVectors => new()
    {
        { 0, 1, [] },
        { 0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"] },
        { 1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        {
            1, 5,
            [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        },
        {
            0, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        },
        {
            5, 8,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        },
    };

    public static TheoryData<long, long, string[]> ConsistencyVectors => new()
    {
        { 1, 1, [] },
        {
            1, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        },
        {
            6, 8,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        },
        {
            2, 5,
            [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        },
        {
            6, 7,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        },
    };

    internal static byte[][] LeafInputs() => [.. LeafInputsHex.Select(Convert.FromHexString)];

    internal static MerkleTree ReferenceTree(int size = 8)
    {
        var tree = new MerkleTree();
        foreach (var entry in LeafInputs().Take(size))
        {
            tree.AppendEntry(entry);
        }

        return tree;
    }

    [Fact]
    public void Leaf_hashes_match()
    {
        var tree = ReferenceTree();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(NodeHashesHex[0][i], Hex(tree.LeafHash(i)));
            Assert.Equal(NodeHashesHex[0][i], Hex(Rfc9162Hasher.HashLeaf(LeafInputs()[i])));
        }
    }

    [Fact]
    public void Every_cached_subtree_hash_matches()
    {
        var tree = ReferenceTree();
        for (var level = 0; level < NodeHashesHex.Length; level++)
        {
            for (var index = 0; index < NodeHashesHex[level].Length; index++)
            {
                Assert.Equal(NodeHashesHex[level][index], Hex(tree.NodeHash(level, index)));
            }
        }
    }

    [Fact]
    public void Roots_for_every_size_match_when_built_incrementally_and_asked_afterwards()
    {
        var incremental = new MerkleTree();
        var compact = new CompactRange();
        Assert.Equal(RootsHex[0], Hex(incremental.RootHash()));
        Assert.Equal(RootsHex[0], Hex(compact.RootHash()));
        foreach (var (entry, size) in LeafInputs().Select((e, i) => (e, i + 1)))
        {
            incremental.AppendEntry(entry);
            compact.Append(Rfc9162Hasher.HashLeaf(entry));
            Assert.Equal(RootsHex[size], Hex(incremental.RootHash()));
            Assert.Equal(RootsHex[size], Hex(compact.RootHash()));
        }

        var full = ReferenceTree();
        for (var size = 0; size <= 8; size++)
        {
            Assert.Equal(RootsHex[size], Hex(full.RootHash(size)));
            Assert.Equal(RootsHex[size], Hex(ReferenceMerkle.Mth(LeafInputs().AsSpan(0, size))));
        }
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void Inclusion_proofs_match_and_verify(long index, long size, string[] expectedHex)
    {
        var tree = ReferenceTree();
        var proof = tree.InclusionProof(index, size);
        Assert.Equal(expectedHex, proof.Select(Hex));
        Assert.Equal(expectedHex, ReferenceMerkle.Path((int)index, LeafInputs().AsSpan(0, (int)size)).Select(Hex));

        var expected = expectedHex.Select(Convert.FromHexString).ToArray();
        var root = Convert.FromHexString(RootsHex[size]);
        MerkleProofs.VerifyInclusion(index, size, tree.LeafHash(index), expected, root);
        Assert.Equal(root, MerkleProofs.RootFromInclusionProof(index, size, tree.LeafHash(index), expected));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void Consistency_proofs_match_and_verify(long size1, long size2, string[] expectedHex)
    {
        var tree = ReferenceTree();
        var proof = tree.ConsistencyProof(size1, size2);
        Assert.Equal(expectedHex, proof.Select(Hex));
        Assert.Equal(expectedHex, ReferenceMerkle.Proof((int)size1, LeafInputs().AsSpan(0, (int)size2)).Select(Hex));

        var expected = expectedHex.Select(Convert.FromHexString).ToArray();
        var root1 = Convert.FromHexString(RootsHex[size1]);
        var root2 = Convert.FromHexString(RootsHex[size2]);
        MerkleProofs.VerifyConsistency(size1, size2, expected, root1, root2);
        Assert.Equal(root2, MerkleProofs.RootFromConsistencyProof(size1, size2, expected, root1));
    }

    [Fact]
    public void Every_proof_of_the_reference_tree_verifies()
    {
        var tree = ReferenceTree();
        for (long size = 1; size <= 8; size++)
        {
            var root = Convert.FromHexString(RootsHex[size]);
            for (long index = 0; index < size; index++)
            {
                MerkleProofs.VerifyInclusion(index, size, tree.LeafHash(index), tree.InclusionProof(index, size), root);
            }

            for (long size1 = 1; size1 <= size; size1++)
            {
                MerkleProofs.VerifyConsistency(size1, size, tree.ConsistencyProof(size1, size), Convert.FromHexString(RootsHex[size1]), root);
            }
        }
    }

    internal static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
