using System.Text;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Tests.Bundles;

public class BundleExportTests
{
    private static async Task<(BundleTestKit Kit, SealedBundle Bundle, string Folder)> ExportedAsync()
    {
        var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(4);
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [0, 2]), ledger);
        var folder = kit.TempFolder();
        var summary = await BundleExporter.ExportAsync(kit.Store, bundle.ManifestSha256, folder);
        Assert.Equal(new BundleExportSummary(bundle.ManifestSha256, 12, summary.MissingMembers, true), summary);
        Assert.Empty(summary.MissingMembers);
        return (kit, bundle, folder);
    }

    [Fact]
    public async Task An_exported_folder_holds_the_exact_bytes_and_verifies_offline()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;

        Assert.Equal(bundle.Manifest.Bytes, await File.ReadAllBytesAsync(Path.Combine(folder, "manifest.json")));
        Assert.Equal(bundle.SignatureNote, await File.ReadAllTextAsync(Path.Combine(folder, "manifest.sig")));
        Assert.Equal("""{"strategy":"1.4.2"}""", await File.ReadAllTextAsync(Path.Combine(folder, "members", "version_map", "version-map.json")));
        Assert.True(File.Exists(Path.Combine(folder, "members", "ledger_entries", "ledger-entries.jsonl")));
        Assert.True(File.Exists(Path.Combine(folder, "members", "checkpoint", "checkpoint.note")));

        var result = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, requireComplete: true, bundle.ManifestSha256);
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.True((await BundleVerifier.VerifyFolderAsync(folder, kit.Key, requireComplete: true)).Ok);
    }

    [Fact]
    public async Task A_non_empty_target_folder_is_refused()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleExporter.ExportAsync(kit.Store, bundle.ManifestSha256, folder));
        Assert.Equal(BundleReason.ExportTargetNotEmpty, error.Reason);
    }

    [Fact]
    public async Task Exporting_an_unknown_bundle_is_not_found_and_writes_nothing()
    {
        await using var kit = new BundleTestKit();
        var folder = kit.TempFolder();

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleExporter.ExportAsync(kit.Store, new string('0', 64), folder));

        Assert.Equal(BundleReason.NotFound, error.Reason);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_bundle_damaged_in_storage_exports_as_is_and_the_folder_shows_the_damage()
    {
        await using var kit = new BundleTestKit();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(), null);
        var fills = bundle.Manifest.Members.Single(member => member.Role == BundleRoles.Fills);
        kit.Store.Delete(LedgerLayout.Object(fills.Sha256));
        var folder = kit.TempFolder();

        var summary = await BundleExporter.ExportAsync(kit.Store, bundle.ManifestSha256, folder);
        var result = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, false, bundle.ManifestSha256);

        Assert.Equal(["members/fills/fills.jsonl"], summary.MissingMembers);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(BundleReason.MemberMissing, problem.Reason);
        Assert.Equal("members/fills/fills.jsonl", problem.Subject);
    }

    [Fact]
    public async Task A_changed_file_in_the_folder_is_found()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;
        await File.WriteAllTextAsync(Path.Combine(folder, "members", "config", "config.json"), """{"max_position":900}""");

        var result = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, true, bundle.ManifestSha256);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BundleReason.MemberHashMismatch, problem.Reason);
        Assert.Equal("members/config/config.json", problem.Subject);
    }

    [Fact]
    public async Task A_changed_ledger_line_in_the_folder_fails_its_hash_and_proof()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;
        var path = Path.Combine(folder, "members", "ledger_entries", "ledger-entries.jsonl");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("evidence-2", "evidence-9", StringComparison.Ordinal));

        var result = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, true, bundle.ManifestSha256);

        Assert.Equal([BundleReason.MemberHashMismatch, BundleReason.LedgerProofInvalid], result.Problems.Select(problem => problem.Reason));
        Assert.Equal("ledger-entries.jsonl line 2 (entry 2)", result.Problems[1].Subject);
    }

    [Fact]
    public async Task A_larger_file_in_the_folder_is_a_size_mismatch()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;
        await File.AppendAllTextAsync(Path.Combine(folder, "members", "policy", "policy.json"), " ");

        var result = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, true, bundle.ManifestSha256);

        Assert.Equal([BundleReason.MemberSizeMismatch], result.Problems.Select(problem => problem.Reason));
    }

    [Fact]
    public async Task A_replaced_manifest_is_caught_by_the_expected_name_and_the_signature()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;
        var text = Encoding.UTF8.GetString(bundle.Manifest.Bytes).Replace("\"tester\"", "\"mallet\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), text);

        // Knowing the name from the ledger: the manifest does not hash to it.
        var named = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, true, bundle.ManifestSha256);
        Assert.Equal([BundleReason.ManifestHashMismatch], named.Problems.Select(problem => problem.Reason));
        // Without the name: the signature does not cover the manifest present.
        var unnamed = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, true);
        Assert.Equal([BundleReason.BadSignature], unnamed.Problems.Select(problem => problem.Reason));
    }

    [Fact]
    public async Task A_stray_file_in_the_folder_is_reported()
    {
        var (kit, bundle, folder) = await ExportedAsync();
        await using var _ = kit;
        await File.WriteAllTextAsync(Path.Combine(folder, "members", "orders", "extra.jsonl"), "{}\n");

        var result = await BundleVerifier.VerifyFolderAsync(folder, kit.Key, true, bundle.ManifestSha256);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BundleReason.StrayFile, problem.Reason);
        Assert.Equal("members/orders/extra.jsonl", problem.Subject);
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_not_found()
    {
        await using var kit = new BundleTestKit();
        var result = await BundleVerifier.VerifyFolderAsync(kit.TempFolder(), kit.Key, false);
        Assert.Equal([BundleReason.NotFound], result.Problems.Select(problem => problem.Reason));
    }
}
