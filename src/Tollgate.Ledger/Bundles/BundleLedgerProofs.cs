using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;
using Tollgate.Ledger.Merkle;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// The <c>ledger-proofs.json</c> member: canonical JSON
/// <c>{"entries":[{"inclusion_proof":[hex…],"index":N,"leaf_hash":hex}],"root_hash":hex,"tree_size":N}</c>, one
/// entry per line of <c>ledger-entries.jsonl</c> and in the same order. Everything needed to check the entries
/// against the checkpoint's root without the ledger.
/// </summary>
public sealed record BundleLedgerProofs(long TreeSize, byte[] RootHash, IReadOnlyList<BundleLedgerProof> Entries)
{
    public byte[] ToBytes() => JsonCanonicalizer.Canonicalize(new JsonObject
    {
        ["entries"] = new JsonArray([.. Entries.Select(entry => (JsonNode?)new JsonObject
        {
            ["inclusion_proof"] = new JsonArray([.. entry.InclusionProof.Select(hash => (JsonNode?)JsonValue.Create(Convert.ToHexStringLower(hash)))]),
            ["index"] = entry.Index,
            ["leaf_hash"] = Convert.ToHexStringLower(entry.LeafHash),
        })]),
        ["root_hash"] = Convert.ToHexStringLower(RootHash),
        ["tree_size"] = TreeSize,
    });

    /// <exception cref="BundleException"><see cref="BundleReason.LedgerProofInvalid"/> when the bytes are not such a document.</exception>
    public static BundleLedgerProofs Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            var entries = new List<BundleLedgerProof>();
            foreach (var item in Get(root, "entries").EnumerateArray())
            {
                var proof = Get(item, "inclusion_proof").EnumerateArray().Select(Hash).ToList();
                entries.Add(new BundleLedgerProof(Get(item, "index").GetInt64(), Hash(Get(item, "leaf_hash")), proof));
            }
            return new BundleLedgerProofs(Get(root, "tree_size").GetInt64(), Hash(Get(root, "root_hash")), entries);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new BundleException(BundleReason.LedgerProofInvalid, $"{BundleLedgerMembers.ProofsName} is not a proofs document: {e.Message}");
        }
    }

    private static JsonElement Get(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var found) ? found : throw new KeyNotFoundException($"missing '{name}'");

    private static byte[] Hash(JsonElement value) =>
        value.GetString() is { } text && BundleRules.IsSha256Hex(text) ? Convert.FromHexString(text)
            : throw new FormatException($"a hash must be {Rfc9162Hasher.HashSize * 2} lowercase hex digits");
}
