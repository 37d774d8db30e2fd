using System.Text;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Tests.Bundles;

public class BundleWriterTests
{
    [Fact]
    public async Task A_created_bundle_verifies()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, requireComplete: false);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(bundle.ManifestSha256, result.Manifest!.Sha256);
        Assert.Equal(9, result.Manifest.Members.Count);
        Assert.Equal([BundleRoles.LedgerEntries], result.Manifest.MissingRoles);
        Assert.Null(result.Manifest.Ledger);
    }

    [Fact]
    public async Task Everything_is_stored_write_once_under_its_hash()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);

        var manifest = await kit.Store.ReadObjectAsync(LedgerLayout.BundleManifest(bundle.ManifestSha256), CancellationToken.None);
        Assert.Equal(bundle.Manifest.Bytes, manifest);
        Assert.Equal(bundle.ManifestSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifest!)));
        var signature = await kit.Store.ReadObjectAsync(LedgerLayout.BundleSignature(bundle.ManifestSha256), CancellationToken.None);
        Assert.Equal(bundle.SignatureNote, Encoding.UTF8.GetString(signature!));
        Assert.Equal($"tollgate-bundle/v1\n{BundleTestKit.Origin}\n{bundle.ManifestSha256}\n", kit.Key.Open(bundle.SignatureNote));
        foreach (var member in bundle.Manifest.Members)
        {
            var bytes = await kit.Store.ReadObjectAsync(LedgerLayout.Object(member.Sha256), CancellationToken.None);
            Assert.Equal(member.Size, bytes!.Length);
        }
    }

    [Fact]
    public async Task The_manifest_is_canonical_json_in_the_documented_shape()
    {
        await using var kit = new BundleTestKit();
        var request = BundleTestKit.Request([BundleTestKit.Member(BundleRoles.Other, "note.txt", "hi", "text/plain")]) with { Environment = null };
        var bundle = await kit.Writer.CreateAsync(request, null);

        var expected =
            """{"bundle_version":1,"created_at":"2025-03-14T09:26:53.589Z","created_by":"tester","environment":null,"event_ref":"deploy-42","ledger":null,"members":[{"media_type":"text/plain","name":"note.txt","role":"other","sha256":"8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4","size":2}],"missing_roles":["version_map","config","policy","rulebook_ref","market_data","order_intents","orders","fills","gate_results","ledger_entries"]}""";
        Assert.Equal(expected, Encoding.UTF8.GetString(bundle.Manifest.Bytes));
    }

    [Fact]
    public async Task Members_are_sorted_by_role_then_name()
    {
        await using var kit = new BundleTestKit();
        var members = BundleTestKit.AllButLedgerMembers();
        members.Add(BundleTestKit.Member(BundleRoles.Config, "a-extra.json", "{}"));
        members.Reverse();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(members), null);

        var order = bundle.Manifest.Members.Select(member => (member.Role, member.Name)).ToList();
        Assert.Equal(order.OrderBy(pair => pair.Role, StringComparer.Ordinal).ThenBy(pair => pair.Name, StringComparer.Ordinal), order);
        Assert.Equal(("config", "a-extra.json"), order[0]);
    }

    [Fact]
    public async Task Creating_the_same_bundle_twice_returns_the_same_name_and_writes_nothing_new()
    {
        await using var kit = new BundleTestKit();
        var first = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);
        var count = await kit.ObjectCountAsync();

        var second = await new BundleWriter(kit.Store, kit.Signer).CreateAsync(BundleTestKit.Request(), null);

        Assert.Equal(first.ManifestSha256, second.ManifestSha256);
        Assert.Equal(first.SignatureNote, second.SignatureNote); // the first signature stays the bundle's
        Assert.Equal(count, await kit.ObjectCountAsync());
    }

    [Fact]
    public async Task Bundles_sharing_a_member_store_it_once()
    {
        await using var kit = new BundleTestKit();
        var shared = BundleTestKit.Member(BundleRoles.MarketData, "quotes.csv", "ts,bid,ask\n1,10,11\n", "text/csv");
        var a = await kit.Writer.CreateAsync(BundleTestKit.Request([shared, BundleTestKit.Member(BundleRoles.Config, "a.json", """{"a":1}""")], eventRef: "event-a"), null);
        var b = await kit.Writer.CreateAsync(BundleTestKit.Request([shared, BundleTestKit.Member(BundleRoles.Config, "b.json", """{"b":2}""")], eventRef: "event-b"), null);

        Assert.NotEqual(a.ManifestSha256, b.ManifestSha256);
        var objects = await kit.Store.ListObjectsAsync(LedgerLayout.ObjectPrefix, CancellationToken.None);
        Assert.Equal(3, objects.Count); // quotes.csv once, a.json, b.json
        var sharedHash = a.Manifest.Members.Single(member => member.Name == "quotes.csv").Sha256;
        Assert.Equal(sharedHash, b.Manifest.Members.Single(member => member.Name == "quotes.csv").Sha256);
        Assert.True((await kit.Verifier.VerifyAsync(a.ManifestSha256, false)).Ok);
        Assert.True((await kit.Verifier.VerifyAsync(b.ManifestSha256, false)).Ok);
    }

    [Fact]
    public async Task Two_members_with_the_same_content_in_one_bundle_share_one_object()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(
            [BundleTestKit.Member(BundleRoles.Orders, "orders.json", "[]"), BundleTestKit.Member(BundleRoles.Fills, "fills.json", "[]")]), null);

        Assert.Single(await kit.Store.ListObjectsAsync(LedgerLayout.ObjectPrefix, CancellationToken.None));
        Assert.True((await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false)).Ok);
    }

    [Fact]
    public async Task A_stored_object_that_does_not_hash_to_its_name_is_refused()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);
        var member = bundle.Manifest.Members[0];
        kit.Store.Tamper(LedgerLayout.Object(member.Sha256), bytes => [.. bytes, (byte)'!']);

        // Another bundle with that content must not refer to the corrupt object as if it held it.
        var again = BundleTestKit.Request(eventRef: "deploy-43");
        var error = await Assert.ThrowsAsync<BundleException>(() => kit.Writer.CreateAsync(again, null));
        Assert.Equal(BundleReason.StoreCorrupt, error.Reason);
    }

    [Fact]
    public async Task A_stored_signature_by_another_key_is_refused_not_trusted()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);
        using var other = BundleTestKit.NewSigner();

        var error = await Assert.ThrowsAsync<BundleException>(() => new BundleWriter(kit.Store, other).CreateAsync(BundleTestKit.Request(), null));
        Assert.Equal(BundleReason.StoreCorrupt, error.Reason);
    }

    [Fact]
    public async Task The_ledger_entry_records_the_seal()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);

        var entry = bundle.ToLedgerEntry("tester", "corr-9", BundleTestKit.Time);

        Assert.Equal("bundle", entry.Kind);
        Assert.Equal($"bundle:{bundle.ManifestSha256}", entry.Key);
        Assert.Equal(["deploy-42"], entry.Fields.Refs);
        Assert.Equal("Paper", entry.Fields.Environment);
        var text = Encoding.UTF8.GetString(entry.Bytes);
        Assert.Contains($"\"payload\":{{\"event_ref\":\"deploy-42\",\"manifest_sha256\":\"{bundle.ManifestSha256}\",\"members\":9,\"missing_roles\":[\"ledger_entries\"]}}", text);
    }

    [Fact]
    public async Task Works_over_a_directory_store_too()
    {
        await using var kit = new BundleTestKit();
        var store = new DirectoryLedgerStore(kit.TempFolder());
        var bundle = await new BundleWriter(store, kit.Signer).CreateAsync(BundleTestKit.Request(), null);
        var again = await new BundleWriter(store, kit.Signer).CreateAsync(BundleTestKit.Request(), null);

        Assert.Equal(bundle.ManifestSha256, again.ManifestSha256);
        var result = await new BundleVerifier(store, kit.Key).VerifyAsync(bundle.ManifestSha256, false);
        Assert.True(result.Ok, string.Join("; ", result.Problems));
    }
}
