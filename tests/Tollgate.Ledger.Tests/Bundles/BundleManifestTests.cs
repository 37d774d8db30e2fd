using System.Text;
using Tollgate.Ledger.Bundles;

namespace Tollgate.Ledger.Tests.Bundles;

public class BundleManifestTests
{
    private const string Hash = "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4";
    private const string AllMissing = "[\"version_map\",\"config\",\"policy\",\"rulebook_ref\",\"market_data\",\"order_intents\",\"orders\",\"fills\",\"gate_results\",\"ledger_entries\"]";

    private static string Manifest(string members, string missing = AllMissing, string ledger = "null") =>
        $$"""{"bundle_version":1,"created_at":"2025-03-14T09:26:53.589Z","created_by":"tester","environment":null,"event_ref":"e-1","ledger":{{ledger}},"members":[{{members}}],"missing_roles":{{missing}}}""";

    private static string Member(string role, string name, long size = 2, string sha = Hash) =>
        $$"""{"media_type":"text/plain","name":"{{name}}","role":"{{role}}","sha256":"{{sha}}","size":{{size}}}""";

    [Fact]
    public void A_valid_manifest_parses_and_round_trips()
    {
        var text = Manifest(Member("other", "a.txt"));
        var manifest = BundleManifest.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal("e-1", manifest.EventRef);
        Assert.Equal(text, Encoding.UTF8.GetString(manifest.Bytes));
        Assert.Equal(10, manifest.MissingRoles.Count);
    }

    [Theory]
    [InlineData("not canonical (space)", " ")]
    [InlineData("members out of order", "order")]
    [InlineData("dishonest missing_roles", "missing")]
    [InlineData("unknown role", "role")]
    [InlineData("path in a name", "name")]
    [InlineData("uppercase hash", "hash")]
    [InlineData("unknown top-level member", "extra")]
    [InlineData("ledger member without a ledger reference", "ledger-member")]
    [InlineData("ledger reference without ledger members", "ledger-ref")]
    [InlineData("wrong version", "version")]
    public void An_invalid_manifest_is_refused(string _, string change)
    {
        var text = change switch
        {
            " " => Manifest(Member("other", "a.txt")).Replace(",", ", ", StringComparison.Ordinal),
            "order" => Manifest(Member("other", "b.txt") + "," + Member("other", "a.txt")),
            "missing" => Manifest(Member("other", "a.txt"), "[]"),
            "role" => Manifest(Member("photos", "a.txt")),
            "name" => Manifest(Member("other", "..")),
            "hash" => Manifest(Member("other", "a.txt", sha: Hash.ToUpperInvariant())),
            "extra" => Manifest(Member("other", "a.txt")).Replace("\"missing_roles\"", "\"note\":1,\"missing_roles\"", StringComparison.Ordinal),
            "ledger-member" => Manifest(Member("checkpoint", "checkpoint.note")),
            "ledger-ref" => Manifest(Member("other", "a.txt"), ledger: """{"indexes":[0],"tree_size":1}"""),
            "version" => Manifest(Member("other", "a.txt")).Replace("\"bundle_version\":1", "\"bundle_version\":2", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var error = Assert.Throws<BundleException>(() => BundleManifest.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(BundleReason.ManifestInvalid, error.Reason);
    }

    [Fact]
    public void The_role_catalogue_is_stable()
    {
        Assert.Equal(
            ["version_map", "config", "policy", "rulebook_ref", "market_data", "order_intents", "orders", "fills", "gate_results", "ledger_entries", "ledger_proofs", "checkpoint", "other"],
            BundleRoles.All.Select(role => role.Name));
        Assert.Equal(
            ["version_map", "config", "policy", "rulebook_ref", "market_data", "order_intents", "orders", "fills", "gate_results", "ledger_entries"],
            BundleRoles.RequiredForReplay);
        Assert.All(BundleRoles.All, role => Assert.False(string.IsNullOrWhiteSpace(role.Meaning)));
    }
}
