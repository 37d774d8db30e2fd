using System.Text;
using System.Text.Json;
using Tollgate.Evidence;

namespace Tollgate.Host.Tests.Evidence;

/// <summary><c>tollgate evidence release-verify|audit-summary|verify-summary|audit-index|verify-index</c> against the in-process host.</summary>
public sealed class ReleaseEvidenceCliTests : EvidenceCliHost
{
    // release-verify

    [Fact]
    public async Task Release_verify_passes_on_a_good_bundle_and_records_one_entry()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        var run = await EvidenceAsync("release-verify", "--bundle", bundle, "--checksum", checksum, "--expect-version", "v0.2.0");
        var payload = await AssertRecordedOnceAsync(run, 0, EvidenceChecks.ReleaseBundle);
        Assert.Empty(Codes(payload));
        Assert.Equal("tollgate-release-v0.2.0.tar.gz", Fact(payload, "bundle_name"));
        Assert.Equal(EvidenceFiles.Sha256(File.ReadAllBytes(bundle)), Fact(payload, "bundle_sha256"));
        Assert.Contains($"bundle_sha256      {Fact(payload, "bundle_sha256")}", run.Out); // the facts are printed too
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Release_verify_fails_with_exit_1_on_a_checksum_mismatch_and_records_the_failure()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        File.WriteAllText(checksum, $"{new string('0', 64)}  tollgate-release-v0.2.0.tar.gz\n");
        var run = await EvidenceAsync("release-verify", "--bundle", bundle, "--checksum", checksum, "--expect-version", "v0.2.0");
        var payload = await AssertRecordedOnceAsync(run, 1, EvidenceChecks.ReleaseBundle);
        Assert.Equal([EvidenceReasonCodes.ChecksumMismatch], Codes(payload));
        Assert.StartsWith($"FAIL release.bundle: {EvidenceReasonCodes.ChecksumMismatch}\n", run.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Release_verify_fails_on_the_wrong_version_and_on_a_missing_bundle()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        var wrong = await EvidenceAsync("release-verify", "--bundle", bundle, "--checksum", checksum, "--expect-version", "v0.3.0");
        Assert.Contains(EvidenceReasonCodes.VersionMismatch, Codes(await AssertRecordedOnceAsync(wrong, 1, EvidenceChecks.ReleaseBundle)));

        var missing = await EvidenceAsync("release-verify", "--bundle", Files.PathOf("nope-v0.2.0.tar.gz"), "--checksum", checksum, "--expect-version", "v0.2.0");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(EvidenceReasonCodes.BundleMissing, missing.Out);
        Assert.Equal(1, missing.RecordedIndex);
        Assert.Equal(2, await LedgerSizeAsync());
    }

    // audit-summary

    [Fact]
    public async Task Audit_summary_writes_both_files_only_after_a_pass_and_records_the_bundle_check()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        var (markdown, json) = (Files.PathOf("out/summary.md"), Files.PathOf("out/summary.json"));
        var run = await EvidenceAsync("audit-summary", "--bundle", bundle, "--checksum", checksum, "--expect-version", "v0.2.0", "--output", markdown, "--json-output", json);
        var payload = await AssertRecordedOnceAsync(run, 0, EvidenceChecks.ReleaseBundle);
        Assert.Contains($"wrote: {json}", run.Out);
        Assert.Contains($"wrote: {markdown}", run.Out);

        var summary = ReleaseAuditSummary.Parse(File.ReadAllText(json), out var error);
        Assert.True(summary is not null, error);
        Assert.Equal("v0.2.0", summary.Version);
        Assert.Equal(Fact(payload, "bundle_sha256"), summary.BundleSha256);
        var (_, entry) = await EntryAsync(run.Key);
        Assert.Equal(entry.GetProperty("time").GetString(), summary.GeneratedAtUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
        Assert.StartsWith("# Release audit summary: v0.2.0", File.ReadAllText(markdown));
    }

    [Fact]
    public async Task Audit_summary_of_a_failing_bundle_writes_no_file_and_records_the_failure()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        var (markdown, json) = (Files.PathOf("summary.md"), Files.PathOf("summary.json"));
        var run = await EvidenceAsync("audit-summary", "--bundle", bundle, "--checksum", checksum, "--expect-version", "v9.9.9", "--output", markdown, "--json-output", json);
        Assert.Contains(EvidenceReasonCodes.VersionMismatch, Codes(await AssertRecordedOnceAsync(run, 1, EvidenceChecks.ReleaseBundle)));
        Assert.False(File.Exists(markdown));
        Assert.False(File.Exists(json));
        Assert.Contains("no summary written", run.Out);
    }

    [Fact]
    public async Task Audit_summary_refuses_to_overwrite_an_output_and_records_nothing()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        var markdown = Files.Write("summary.md", "keep me\n");
        var json = Files.PathOf("summary.json");
        var run = await EvidenceAsync("audit-summary", "--bundle", bundle, "--checksum", checksum, "--output", markdown, "--json-output", json);
        await AssertRefusedAsync(run, "EVIDENCE_OUTPUT_EXISTS");
        Assert.Equal("keep me\n", File.ReadAllText(markdown));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public async Task Audit_summary_run_again_into_new_files_finds_its_result_already_recorded()
    {
        var (bundle, checksum) = Files.Release("v0.2.0");
        var first = await EvidenceAsync("audit-summary", "--bundle", bundle, "--checksum", checksum, "--output", Files.PathOf("a.md"), "--json-output", Files.PathOf("a.json"));
        await AssertRecordedOnceAsync(first, 0, EvidenceChecks.ReleaseBundle);
        await Task.Delay(5); // another millisecond: another entry time, the same result
        var again = await EvidenceAsync("audit-summary", "--bundle", bundle, "--checksum", checksum, "--output", Files.PathOf("b.md"), "--json-output", Files.PathOf("b.json"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already recorded: ledger index 0", again.Out);
        Assert.Equal(first.Key, again.Key);
        Assert.Equal(1, await LedgerSizeAsync());
        Assert.True(File.Exists(Files.PathOf("b.json")));
    }

    // verify-summary

    [Fact]
    public async Task Verify_summary_passes_against_the_bundle_and_fails_on_a_tampered_summary()
    {
        var (bundle, checksum, json) = await SummaryAsync("v0.2.0");
        var pass = await EvidenceAsync("verify-summary", "--summary-json", json, "--expect-version", "v0.2.0", "--bundle", bundle);
        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.StartsWith("PASS release.summary", pass.Out);
        Assert.Equal("true", Fact((await EntryAsync(pass.Key)).Entry.GetProperty("payload"), "bundle_recomputed"));

        var (otherBundle, _) = Files.Release("v0.2.0", folder: "other", readme: "# another build\n");
        var tampered = await EvidenceAsync("verify-summary", "--summary-json", json, "--expect-version", "v0.2.0", "--bundle", otherBundle);
        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        Assert.Contains($"FAIL release.summary: {EvidenceReasonCodes.SummaryMismatch}", tampered.Out);
        var (index, entry) = await EntryAsync(tampered.Key);
        Assert.Equal(2, index); // audit-summary, the pass, this failure
        Assert.False(entry.GetProperty("payload").GetProperty("passed").GetBoolean());
        _ = checksum;
    }

    [Fact]
    public async Task Verify_summary_fails_on_the_wrong_version()
    {
        var (_, _, json) = await SummaryAsync("v0.2.0");
        var run = await EvidenceAsync("verify-summary", "--summary-json", json, "--expect-version", "v0.2.1");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(EvidenceReasonCodes.VersionMismatch, Codes((await EntryAsync(run.Key)).Entry.GetProperty("payload")));
    }

    // audit-index and verify-index

    [Fact]
    public async Task Audit_index_appends_records_the_line_anchor_and_is_idempotent()
    {
        var (_, _, json) = await SummaryAsync("v0.2.0");
        var index = Files.PathOf("index/release_audit_index.jsonl");
        var run = await EvidenceAsync("audit-index", "--summary-json", json, "--output-jsonl", index);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("PASS release.index.append", run.Out);
        var line = File.ReadAllText(index).TrimEnd('\n');
        Assert.DoesNotContain('\n', line);
        var (at, entry) = await EntryAsync(run.Key);
        Assert.Equal(1, at); // after audit-summary's entry
        var payload = entry.GetProperty("payload");
        Assert.Equal("1", Fact(payload, "line_number"));
        Assert.Equal(EvidenceFiles.Sha256(Encoding.UTF8.GetBytes(line)), Fact(payload, "line_sha256"));
        Assert.Contains($"--anchor-line 1 --anchor-sha256 {Fact(payload, "line_sha256")}", run.Out);

        await Task.Delay(5);
        var again = await EvidenceAsync("audit-index", "--summary-json", json, "--output-jsonl", index);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Matches(@"(?m)^    appended\s+false$", again.Out.ReplaceLineEndings("\n"));
        Assert.Contains("already recorded: ledger index 1", again.Out);
        Assert.Equal(run.Key, again.Key);
        Assert.Equal(2, await LedgerSizeAsync());
        Assert.Equal(line + "\n", File.ReadAllText(index));
    }

    [Fact]
    public async Task Audit_index_refuses_a_second_bundle_for_a_recorded_version_with_exit_1()
    {
        var (_, _, json) = await SummaryAsync("v0.2.0");
        var index = Files.PathOf("index.jsonl");
        Assert.Equal(0, (await EvidenceAsync("audit-index", "--summary-json", json, "--output-jsonl", index)).ExitCode);
        var (_, _, otherJson) = await SummaryAsync("v0.2.0", folder: "rebuilt", readme: "# rebuilt\n");
        var run = await EvidenceAsync("audit-index", "--summary-json", otherJson, "--output-jsonl", index);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"FAIL release.index.append: {EvidenceReasonCodes.IndexConflict}", run.Out);
        Assert.Equal(3, run.RecordedIndex); // two audit-summaries, one append, this refusal
        Assert.Single(File.ReadAllLines(index));
    }

    [Fact]
    public async Task Verify_index_passes_with_the_anchor_the_ledger_recorded_and_catches_a_cut_tail()
    {
        var (_, _, jsonA) = await SummaryAsync("v0.2.0");
        var (_, _, jsonB) = await SummaryAsync("v0.3.0");
        var index = Files.PathOf("index.jsonl");
        Assert.Equal(0, (await EvidenceAsync("audit-index", "--summary-json", jsonA, "--output-jsonl", index)).ExitCode);
        var appendB = await EvidenceAsync("audit-index", "--summary-json", jsonB, "--output-jsonl", index);
        var anchor = (await EntryAsync(appendB.Key)).Entry.GetProperty("payload");
        string[] anchorArgs = ["--anchor-line", Fact(anchor, "line_number"), "--anchor-sha256", Fact(anchor, "line_sha256")];

        var pass = await EvidenceAsync(["verify-index", "--summary-json", jsonA, "--index-jsonl", index, "--expect-version", "v0.2.0", .. anchorArgs]);
        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.StartsWith("PASS release.index", pass.Out);
        Assert.Equal(4, pass.RecordedIndex);

        File.WriteAllText(index, File.ReadAllLines(index)[0] + "\n"); // cut line 2 off: the chain still holds, the anchor does not
        var cut = await EvidenceAsync(["verify-index", "--summary-json", jsonA, "--index-jsonl", index, "--expect-version", "v0.2.0", .. anchorArgs]);
        Assert.True(cut.ExitCode == 1, cut.ToString());
        Assert.Contains($"FAIL release.index: {EvidenceReasonCodes.IndexTruncated}", cut.Out);
        Assert.Equal(5, cut.RecordedIndex);
        Assert.Equal("2", Fact((await EntryAsync(cut.Key)).Entry.GetProperty("payload"), "truncated_at_line"));
    }

    [Fact]
    public async Task Verify_index_fails_on_an_edited_line()
    {
        var (_, _, json) = await SummaryAsync("v0.2.0");
        var index = Files.PathOf("index.jsonl");
        Assert.Equal(0, (await EvidenceAsync("audit-index", "--summary-json", json, "--output-jsonl", index)).ExitCode);
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"member_count\":4", "\"member_count\":5"));
        var run = await EvidenceAsync("verify-index", "--summary-json", json, "--index-jsonl", index, "--expect-version", "v0.2.0");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(EvidenceReasonCodes.IndexTampered, Codes((await EntryAsync(run.Key)).Entry.GetProperty("payload")));
    }

    [Theory]
    [InlineData("--anchor-line", "1")]
    [InlineData("--anchor-sha256", "abc")]
    public async Task Verify_index_refuses_half_an_anchor_and_records_nothing(string option, string value)
    {
        var run = await EvidenceAsync("verify-index", "--summary-json", Files.PathOf("s.json"), "--index-jsonl", Files.PathOf("i.jsonl"), "--expect-version", "v0.2.0", option, value);
        await AssertRefusedAsync(run, "INVALID_ARGUMENTS");
    }

    [Fact]
    public async Task Verify_index_refuses_a_malformed_anchor_hash()
    {
        var run = await EvidenceAsync("verify-index", "--summary-json", Files.PathOf("s.json"), "--index-jsonl", Files.PathOf("i.jsonl"), "--expect-version", "v0.2.0",
            "--anchor-line", "1", "--anchor-sha256", new string('g', 64));
        await AssertRefusedAsync(run, "INVALID_ARGUMENTS");
    }

    /// <summary>A bundle and its summary JSON, made by audit-summary (which records one entry).</summary>
    private async Task<(string Bundle, string Checksum, string Json)> SummaryAsync(string version, string folder = "", string readme = "# Tollgate release\n")
    {
        var (bundle, checksum) = Files.Release(version, folder, readme);
        var json = Path.Combine(Path.GetDirectoryName(bundle)!, $"release_audit_summary-{version}.json");
        var run = await EvidenceAsync("audit-summary", "--bundle", bundle, "--checksum", checksum, "--output", Path.ChangeExtension(json, ".md"), "--json-output", json);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var _ = JsonDocument.Parse(File.ReadAllText(json));
        return (bundle, checksum, json);
    }
}
