using System.Text.Json;
using System.Text.Json.Serialization;
using Tollgate.Ledger.Merkle;

namespace Tollgate.Ledger.Tests.Merkle;

/// <summary>
/// The transparency-dev/merkle probe corpus (Vectors/rfc6962, see SOURCE.md there): every happy path
/// must verify, every mutated proof must be rejected with a <see cref="MerkleProofException"/>.
/// </summary>
public class Rfc6962CorpusTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc6962");

    public static TheoryData<string> InclusionFiles => Files("inclusion");

    public static TheoryData<string> ConsistencyFiles => Files("consistency");

    [Fact]
    public void The_whole_corpus_is_present()
    {
        Assert.Equal(98, Directory.GetFiles(Path.Combine(Root, "inclusion"), "*.json", SearchOption.AllDirectories).Length);
        Assert.Equal(97, Directory.GetFiles(Path.Combine(Root, "consistency"), "*.json", SearchOption.AllDirectories).Length);
        Assert.Equal(6, FileList("inclusion").Count(file => !Load<InclusionProbe>(file).WantErr));
        Assert.Equal(7, FileList("consistency").Count(file => !Load<ConsistencyProbe>(file).WantErr));
    }

    [Theory]
    [MemberData(nameof(InclusionFiles))]
    public void Inclusion_probe(string file)
    {
        var p = Load<InclusionProbe>(file);
        var proof = p.Proof ?? [];
        var index = unchecked((long)p.LeafIdx); // uint64 indices beyond long.MaxValue become negative: still out of range
        var size = unchecked((long)p.TreeSize);

        if (p.WantErr)
        {
            var error = Assert.ThrowsAny<MerkleProofException>(() => MerkleProofs.VerifyInclusion(index, size, p.LeafHash, proof, p.Root));
            Assert.False(string.IsNullOrEmpty(error.Reason));
        }
        else
        {
            MerkleProofs.VerifyInclusion(index, size, p.LeafHash, proof, p.Root);
        }
    }

    [Theory]
    [MemberData(nameof(ConsistencyFiles))]
    public void Consistency_probe(string file)
    {
        var p = Load<ConsistencyProbe>(file);
        var proof = p.Proof ?? [];
        var size1 = unchecked((long)p.Size1);
        var size2 = unchecked((long)p.Size2);

        if (p.WantErr)
        {
            var error = Assert.ThrowsAny<MerkleProofException>(() => MerkleProofs.VerifyConsistency(size1, size2, proof, p.Root1, p.Root2));
            Assert.False(string.IsNullOrEmpty(error.Reason));
        }
        else
        {
            MerkleProofs.VerifyConsistency(size1, size2, proof, p.Root1, p.Root2);
        }
    }

    [Fact]
    public void Happy_inclusion_proofs_are_also_what_the_tree_produces()
    {
        foreach (var file in FileList("inclusion"))
        {
            var p = Load<InclusionProbe>(file);
            if (p.WantErr || file.StartsWith("inclusion/single-entry", StringComparison.Ordinal))
            {
                continue;
            }

            var tree = KnownAnswerTests.ReferenceTree();
            Assert.Equal(p.LeafHash, tree.LeafHash((long)p.LeafIdx));
            Assert.Equal(p.Root, tree.RootHash((long)p.TreeSize));
            Assert.Equal((p.Proof ?? []).Select(Convert.ToHexStringLower), tree.InclusionProof((long)p.LeafIdx, (long)p.TreeSize).Select(Convert.ToHexStringLower));
        }
    }

    private static TheoryData<string> Files(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in FileList(kind))
        {
            data.Add(file);
        }

        return data;
    }

    private static List<string> FileList(string kind) =>
        [.. Directory.GetFiles(Path.Combine(Root, kind), "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static T Load<T>(string file) =>
        JsonSerializer.Deserialize<T>(File.ReadAllBytes(Path.Combine(Root, file)))
        ?? throw new InvalidDataException($"{file} is empty.");

    private sealed class InclusionProbe
    {
        [JsonPropertyName("leafIdx")] public ulong LeafIdx { get; init; }
        [JsonPropertyName("treeSize")] public ulong TreeSize { get; init; }
        [JsonPropertyName("root")] public byte[] Root { get; init; } = [];
        [JsonPropertyName("leafHash")] public byte[] LeafHash { get; init; } = [];
        [JsonPropertyName("proof")] public byte[][]? Proof { get; init; }
        [JsonPropertyName("desc")] public string Desc { get; init; } = "";
        [JsonPropertyName("wantErr")] public bool WantErr { get; init; }
    }

    private sealed class ConsistencyProbe
    {
        [JsonPropertyName("size1")] public ulong Size1 { get; init; }
        [JsonPropertyName("size2")] public ulong Size2 { get; init; }
        [JsonPropertyName("root1")] public byte[] Root1 { get; init; } = [];
        [JsonPropertyName("root2")] public byte[] Root2 { get; init; } = [];
        [JsonPropertyName("proof")] public byte[][]? Proof { get; init; }
        [JsonPropertyName("desc")] public string Desc { get; init; } = "";
        [JsonPropertyName("wantErr")] public bool WantErr { get; init; }
    }
}
