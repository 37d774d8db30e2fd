using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

public sealed class ReleaseAuditIndexTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string IndexPath => _dir.File("release_audit_index.jsonl");

    private static ReleaseAuditSummary Summary(int n, string? sha = null) => new(
        $"v0.{n}.0", $"tollgate-release-v0.{n}.0.tar.gz", sha ?? Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n))),
        1000 + n, $"tollgate-release-v0.{n}.0.tar.gz", 4, 100 + n, $"v0.{n}.0", ReleaseFiles.GeneratedAt.AddDays(n));

    private string WriteSummary(ReleaseAuditSummary summary) => _dir.Write($"summary-{summary.Version}.json", summary.ToJson());

    /// <summary>An index of <paramref name="count"/> releases v0.1.0 .. v0.count.0.</summary>
    private List<string> IndexOf(int count)
    {
        for (var n = 1; n <= count; n++)
        {
            Expect.Passed(ReleaseAuditIndex.Append(Summary(n), IndexPath));
        }

        return Lines();
    }

    private List<string> Lines() => File.ReadAllText(IndexPath).Split('\n').SkipLast(1).ToList();

    private void WriteLines(IEnumerable<string> lines) => File.WriteAllText(IndexPath, string.Concat(lines.Select(l => l + "\n")));

    private EvidenceResult VerifyRelease(int n, IndexAnchor? anchor = null) =>
        ReleaseAuditIndex.Verify(WriteSummary(Summary(n)), IndexPath, $"v0.{n}.0", anchor);

    [Fact]
    public void Append_creates_the_index_and_chains_each_line_to_the_bytes_of_the_one_before()
    {
        var lines = IndexOf(3);

        Assert.Equal(3, lines.Count);
        var entries = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(new string('0', 64), (string?)entries[0]["prev_sha256"]);
        Assert.Equal(Sha(lines[0]), (string?)entries[1]["prev_sha256"]);
        Assert.Equal(Sha(lines[1]), (string?)entries[2]["prev_sha256"]);
        Assert.Equal([1L, 2L, 3L], entries.Select(e => (long)e["seq"]!));
        Assert.Equal(
            ["seq", "prev_sha256", "version", "bundle_name", "bundle_sha256", "bundle_size_bytes", "member_count", "member_bytes", "generated_at_utc", "entry_sha256"],
            entries[0].Select(p => p.Key));
    }

    [Fact]
    public void Append_reports_the_line_and_its_hash_as_an_anchor()
    {
        IndexOf(1);
        var result = ReleaseAuditIndex.Append(Summary(2), IndexPath);

        Expect.Passed(result);
        Assert.Equal(EvidenceChecks.ReleaseIndexAppend, result.Check);
        Assert.Equal("true", result.Facts["appended"]);
        Assert.Equal("2", result.Facts["line_number"]);
        Assert.Equal(Sha(Lines()[1]), result.Facts["line_sha256"]);
        Assert.Equal(result.Facts["line_sha256"], result.Facts["head_sha256"]);
        Expect.Passed(VerifyRelease(1, new IndexAnchor(2, result.Facts["line_sha256"])));
    }

    [Fact]
    public void Appending_the_same_release_again_adds_nothing()
    {
        IndexOf(2);
        var before = File.ReadAllBytes(IndexPath);

        var again = ReleaseAuditIndex.Append(Summary(1), IndexPath);
        var regenerated = ReleaseAuditIndex.Append(Summary(1) with { GeneratedAtUtc = ReleaseFiles.GeneratedAt.AddYears(1) }, IndexPath);

        Expect.Passed(again);
        Expect.Passed(regenerated);
        Assert.Equal("false", again.Facts["appended"]);
        Assert.Equal("1", again.Facts["line_number"]);
        Assert.Equal(before, File.ReadAllBytes(IndexPath));
    }

    [Fact]
    public void A_different_bundle_for_a_recorded_version_is_refused_and_the_file_is_untouched()
    {
        IndexOf(2);
        var before = File.ReadAllBytes(IndexPath);

        var result = ReleaseAuditIndex.Append(Summary(1, sha: new string('c', 64)), IndexPath);

        Expect.FailedOnly(result, IndexConflict);
        Assert.Equal("1", result.Facts["conflict_lines"]);
        Assert.Equal(before, File.ReadAllBytes(IndexPath));
    }

    [Fact]
    public void A_recorded_bundle_under_another_version_is_refused()
    {
        IndexOf(2);
        var before = File.ReadAllBytes(IndexPath);
        var renamed = Summary(3, sha: Summary(2).BundleSha256);

        Expect.FailedOnly(ReleaseAuditIndex.Append(renamed, IndexPath), IndexConflict);
        Assert.Equal(before, File.ReadAllBytes(IndexPath));
    }

    [Fact]
    public void Append_refuses_to_extend_a_broken_chain()
    {
        var lines = IndexOf(3);
        lines[1] = lines[1].Replace("\"member_count\":4", "\"member_count\":5");
        WriteLines(lines);
        var before = File.ReadAllBytes(IndexPath);

        var result = ReleaseAuditIndex.Append(Summary(4), IndexPath);

        Expect.FailedOnly(result, IndexTampered);
        Assert.Equal(before, File.ReadAllBytes(IndexPath));
    }

    [Fact]
    public void Append_refuses_an_index_that_ends_mid_line()
    {
        IndexOf(2);
        var bytes = File.ReadAllBytes(IndexPath);
        File.WriteAllBytes(IndexPath, bytes[..^10]);

        var result = ReleaseAuditIndex.Append(Summary(3), IndexPath);
        Expect.FailedOnly(result, IndexTruncated);
        Assert.Equal("2", result.Facts["truncated_at_line"]);
    }

    [Fact]
    public void Append_never_rewrites_existing_bytes()
    {
        IndexOf(2);
        var before = File.ReadAllBytes(IndexPath);
        Expect.Passed(ReleaseAuditIndex.Append(Summary(3), IndexPath));
        var after = File.ReadAllBytes(IndexPath);
        Assert.Equal(before, after[..before.Length]);
    }

    [Fact]
    public void Append_from_a_summary_file_reads_it_first()
    {
        var release = ReleaseFiles.Create(_dir);
        Expect.Passed(ReleaseAuditIndex.Append(release.SummaryJson, IndexPath));
        Expect.Passed(ReleaseAuditIndex.Verify(release.SummaryJson, IndexPath, "v0.2.0"));
        Expect.FailedOnly(ReleaseAuditIndex.Append(_dir.File("none.json"), IndexPath), SummaryMissing);
    }

    [Fact]
    public void Append_waits_for_a_lock_holder_then_reports_busy()
    {
        IndexOf(1);
        using (new FileStream(IndexPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Expect.FailedOnly(ReleaseAuditIndex.Append(Summary(2), IndexPath), IndexBusy);
            Expect.Failed(VerifyRelease(1), IndexBusy);
        }

        Expect.Passed(ReleaseAuditIndex.Append(Summary(2), IndexPath));
    }

    [Fact]
    public void Concurrent_appenders_each_land_exactly_once_on_a_sound_chain()
    {
        var results = Enumerable.Range(1, 8).AsParallel().WithDegreeOfParallelism(4)
            .Select(n => ReleaseAuditIndex.Append(Summary(n), IndexPath)).ToList();

        Assert.All(results, Expect.Passed);
        Assert.Equal(8, Lines().Count);
        for (var n = 1; n <= 8; n++)
        {
            Expect.Passed(VerifyRelease(n));
        }
    }

    [Fact]
    public void Append_reports_an_index_it_cannot_create_or_read()
    {
        Expect.FailedOnly(ReleaseAuditIndex.Append(Summary(1), _dir.File("no-such-dir/index.jsonl")), IndexWriteFailed);
        Expect.FailedOnly(ReleaseAuditIndex.Append(Summary(1), _dir.Path), IndexUnreadable);
    }

    [Fact]
    public void Verify_passes_a_release_recorded_once_on_a_sound_chain()
    {
        IndexOf(3);
        var result = VerifyRelease(2);

        Expect.Passed(result);
        Assert.Equal(EvidenceChecks.ReleaseIndex, result.Check);
        Assert.Equal("2", result.Facts["entry_line"]);
        Assert.Equal("3", result.Facts["index_lines"]);
        Assert.Equal(Sha(Lines()[2]), result.Facts["head_sha256"]);
    }

    [Fact]
    public void Verify_reports_a_release_not_in_the_index()
    {
        IndexOf(2);
        Expect.FailedOnly(VerifyRelease(3), IndexMissingEntry);
    }

    [Fact]
    public void Verify_reports_a_different_bundle_recorded_for_the_version()
    {
        IndexOf(2);
        var other = WriteSummary(Summary(2, sha: new string('d', 64)));
        var result = ReleaseAuditIndex.Verify(other, IndexPath, "v0.2.0");
        Expect.FailedOnly(result, IndexConflict);
        Assert.Equal("2", result.Facts["conflict_lines"]);
    }

    [Fact]
    public void Verify_reports_a_release_recorded_twice_even_with_the_chain_recomputed()
    {
        IndexOf(2);
        // A forger who rebuilds the whole chain can duplicate a line; the single-entry rule still sees it.
        var forged = new List<string>(Lines());
        var third = JsonNode.Parse(forged[0])!.AsObject();
        third["seq"] = 3;
        third["prev_sha256"] = Sha(forged[1]);
        forged.Add(Reseal(third));
        WriteLines(forged);

        var result = VerifyRelease(1);
        Expect.FailedOnly(result, IndexDuplicateEntry);
        Assert.Equal("1,3", result.Facts["duplicate_lines"]);
    }

    [Fact]
    public void Verify_reports_missing_unreadable_and_version_problems()
    {
        var summary = WriteSummary(Summary(1));
        Expect.FailedOnly(ReleaseAuditIndex.Verify(summary, IndexPath, "v0.1.0"), IndexMissing);
        Expect.FailedOnly(ReleaseAuditIndex.Verify(summary, _dir.Path, "v0.1.0"), IndexUnreadable);
        IndexOf(1);
        Expect.FailedOnly(ReleaseAuditIndex.Verify(summary, IndexPath, "v0.9.0"), VersionMismatch);
        Expect.FailedOnly(ReleaseAuditIndex.Verify(summary, IndexPath, "bad version"), VersionInvalid);
        Expect.FailedOnly(ReleaseAuditIndex.Verify(_dir.File("none.json"), IndexPath, "v0.1.0"), SummaryMissing);
    }

    [Fact]
    public void An_empty_index_holds_no_entry()
    {
        File.WriteAllText(IndexPath, "");
        var result = VerifyRelease(1);
        Expect.FailedOnly(result, IndexMissingEntry);
        Assert.Equal("0", result.Facts["index_lines"]);
    }

    // Tampering: every kind is detected and named by line number.

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Editing_a_value_on_any_line_is_detected_on_that_line(int line)
    {
        var lines = IndexOf(4);
        lines[line - 1] = lines[line - 1].Replace($"\"bundle_size_bytes\":{1000 + line}", $"\"bundle_size_bytes\":{2000 + line}");
        WriteLines(lines);

        var result = VerifyRelease(line == 1 ? 2 : 1);
        Expect.FailedOnly(result, IndexTampered);
        Assert.StartsWith(line.ToString(), result.Facts["tampered_lines"]);
        Assert.Contains($"line {line} was edited", result.Summary);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void An_edit_that_reseals_its_own_line_is_caught_by_the_next_line(int line)
    {
        var lines = IndexOf(4);
        var entry = JsonNode.Parse(lines[line - 1])!.AsObject();
        entry["member_bytes"] = 9999;
        lines[line - 1] = Reseal(entry);
        WriteLines(lines);

        var result = VerifyRelease(2);
        Expect.Failed(result, IndexTampered);
        Assert.Equal((line + 1).ToString(), result.Facts["tampered_lines"]);
        Assert.Contains($"does not match line {line}", result.Summary);
    }

    [Fact]
    public void An_edit_that_reseals_the_last_line_is_caught_by_an_anchor()
    {
        var lines = IndexOf(3);
        var anchor = new IndexAnchor(3, Sha(lines[2]));
        var entry = JsonNode.Parse(lines[2])!.AsObject();
        entry["member_bytes"] = 9999;
        lines[2] = Reseal(entry);
        WriteLines(lines);

        Expect.Passed(VerifyRelease(1));
        var result = VerifyRelease(1, anchor);
        Expect.FailedOnly(result, IndexTampered);
        Assert.Equal("3", result.Facts["anchor_mismatch_line"]);
    }

    [Fact]
    public void Reformatting_a_line_without_changing_values_is_detected()
    {
        var lines = IndexOf(2);
        lines[0] = lines[0].Replace(",", ", ");
        WriteLines(lines);
        var result = VerifyRelease(2);
        Expect.FailedOnly(result, IndexTampered);
        Assert.StartsWith("1", result.Facts["tampered_lines"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Deleting_a_line_is_detected_where_the_gap_is(int line)
    {
        var lines = IndexOf(4);
        lines.RemoveAt(line - 1);
        WriteLines(lines);

        var result = VerifyRelease(4);
        Expect.Failed(result, IndexTampered);
        Assert.StartsWith(line.ToString(), result.Facts["tampered_lines"]);
    }

    [Fact]
    public void Deleting_the_last_line_is_detected_by_an_anchor_or_by_its_missing_entry()
    {
        var lines = IndexOf(3);
        var anchor = new IndexAnchor(3, Sha(lines[2]));
        WriteLines(lines.Take(2));

        Expect.FailedOnly(VerifyRelease(3), IndexMissingEntry);
        var result = VerifyRelease(1, anchor);
        Expect.FailedOnly(result, IndexTruncated);
        Assert.Equal("3", result.Facts["truncated_at_line"]);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 4)]
    public void Reordering_lines_is_detected_at_the_first_moved_line(int first, int second)
    {
        var lines = IndexOf(4);
        (lines[first - 1], lines[second - 1]) = (lines[second - 1], lines[first - 1]);
        WriteLines(lines);

        var result = VerifyRelease(1);
        Expect.Failed(result, IndexTampered);
        Assert.StartsWith(first.ToString(), result.Facts["tampered_lines"]);
        Assert.Contains($"line {first} carries seq {second}", result.Summary);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(200)]
    public void Truncating_inside_the_last_line_is_detected_with_its_line_number(int cut)
    {
        IndexOf(3);
        var bytes = File.ReadAllBytes(IndexPath);
        File.WriteAllBytes(IndexPath, bytes[..^cut]);

        var result = VerifyRelease(1);
        Expect.Failed(result, IndexTruncated);
        Assert.Equal("3", result.Facts["truncated_at_line"]);
        Assert.Contains("line 3 ends without a newline", result.Summary);
    }

    [Fact]
    public void Truncating_inside_an_earlier_line_is_detected_too()
    {
        var lines = IndexOf(3);
        File.WriteAllText(IndexPath, lines[0] + "\n" + lines[1][..40]);
        var result = VerifyRelease(1);
        Expect.FailedOnly(result, IndexTruncated);
        Assert.Equal("2", result.Facts["truncated_at_line"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"seq\":2}")]
    [InlineData("[1,2]")]
    public void A_line_that_is_not_an_entry_is_malformed_and_breaks_the_chain_after_it(string junk)
    {
        var lines = IndexOf(3);
        lines.Insert(1, junk);
        WriteLines(lines);

        var result = VerifyRelease(1);
        Expect.Failed(result, IndexMalformed, IndexTampered);
        Assert.Equal("2", result.Facts["malformed_lines"]);
    }

    [Fact]
    public void Invalid_UTF8_on_a_line_is_malformed()
    {
        IndexOf(1);
        using (var stream = new FileStream(IndexPath, FileMode.Append))
        {
            stream.Write([0xff, 0xfe, (byte)'\n']);
        }

        Expect.Failed(VerifyRelease(1), IndexMalformed);
    }

    [Fact]
    public void Two_bundles_for_one_version_in_a_forged_chain_are_a_conflict()
    {
        IndexOf(1);
        var forged = new List<string>(Lines());
        var second = JsonNode.Parse(forged[0])!.AsObject();
        second["seq"] = 2;
        second["prev_sha256"] = Sha(forged[0]);
        second["bundle_sha256"] = new string('e', 64);
        forged.Add(Reseal(second));
        WriteLines(forged);

        var result = VerifyRelease(1);
        Expect.FailedOnly(result, IndexConflict);
        Assert.Equal("2", result.Facts["conflict_lines"]);
    }

    [Fact]
    public void An_anchor_must_name_a_real_line_and_hash()
    {
        IndexOf(1);
        Assert.Throws<ArgumentException>(() => VerifyRelease(1, new IndexAnchor(0, new string('a', 64))));
        Assert.Throws<ArgumentException>(() => VerifyRelease(1, new IndexAnchor(1, "abc")));
    }

    private static string Sha(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    /// <summary>What a forger who knows the format would do: recompute entry_sha256 over the edited line.</summary>
    internal static string Reseal(JsonObject entry)
    {
        entry.Remove("entry_sha256");
        var body = entry.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        entry["entry_sha256"] = Sha(body);
        return entry.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
