using System.Text.Json.Nodes;
using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

public sealed class ReleaseAuditSummaryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Create_summarises_a_verified_bundle_with_the_time_it_was_given()
    {
        var release = ReleaseFiles.Create(_dir);
        var summary = release.Summary;

        Assert.Equal("v0.2.0", summary.Version);
        Assert.Equal("tollgate-release-v0.2.0.tar.gz", summary.BundleName);
        Assert.Equal(BundleBuilder.Sha256(release.Bundle), summary.BundleSha256);
        Assert.Equal(new FileInfo(release.Bundle).Length, summary.BundleSizeBytes);
        Assert.Equal(4, summary.MemberCount);
        Assert.Equal("v0.2.0", summary.VersionFile);
        Assert.Equal(ReleaseFiles.GeneratedAt, summary.GeneratedAtUtc);
    }

    [Fact]
    public void The_JSON_form_has_a_fixed_field_order_snake_case_and_a_trailing_newline()
    {
        var summary = new ReleaseAuditSummary("v0.2.0", "tollgate-release-v0.2.0.tar.gz", new string('a', 64), 1234,
            "dist/tollgate-release-v0.2.0.tar.gz", 4, 56, "v0.2.0", new DateTimeOffset(2026, 2, 11, 9, 30, 0, TimeSpan.FromHours(1)));

        var expected = """
            {
              "schema": "tollgate.release_audit_summary.v1",
              "version": "v0.2.0",
              "bundle_name": "tollgate-release-v0.2.0.tar.gz",
              "bundle_sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              "bundle_size_bytes": 1234,
              "checksum_name": "dist/tollgate-release-v0.2.0.tar.gz",
              "member_count": 4,
              "member_bytes": 56,
              "version_file": "v0.2.0",
              "generated_at_utc": "2026-02-11T08:30:00Z"
            }

            """;
        Assert.Equal(expected, summary.ToJson());
    }

    [Fact]
    public void The_JSON_form_round_trips()
    {
        var summary = ReleaseFiles.Create(_dir, "v1.0.0+build.7").Summary with { GeneratedAtUtc = new DateTimeOffset(2026, 2, 11, 8, 30, 0, 250, TimeSpan.Zero) };
        var parsed = ReleaseAuditSummary.Parse(summary.ToJson(), out var error);
        Assert.Equal("", error);
        Assert.Equal(summary, parsed);
        Assert.Contains("\"v1.0.0+build.7\"", summary.ToJson());
        Assert.Contains("\"2026-02-11T08:30:00.25Z\"", summary.ToJson());
    }

    [Fact]
    public void The_Markdown_report_is_a_table_of_the_values_with_markup_escaped()
    {
        var summary = new ReleaseAuditSummary("v0.2.0", "tollgate_release|v0.2.0.tar.gz", new string('b', 64), 10, "x", 1, 2, "absent", ReleaseFiles.GeneratedAt);
        var markdown = summary.ToMarkdown();

        Assert.StartsWith("# Release audit summary: v0.2.0\n", markdown);
        Assert.Contains("| Field | Value |\n|---|---|\n", markdown);
        Assert.Contains($"| SHA-256 | {new string('b', 64)} |", markdown);
        Assert.Contains(@"| Bundle | tollgate\_release\|v0.2.0.tar.gz |", markdown);
        Assert.Contains("| Generated at (UTC) | 2026-02-11T08:30:00Z |", markdown);
        Assert.All(markdown.Split('\n').Where(l => l.StartsWith('|')), line => Assert.Equal(3, line.Replace(@"\|", "").Count(c => c == '|')));
    }

    [Fact]
    public void Create_without_an_expected_version_takes_it_from_the_VERSION_file_then_the_name()
    {
        var fromFile = BundleBuilder.Release("v0.2.0").WriteTo(_dir.File("tollgate-release-v0.2.0.tar.gz"));
        Assert.Equal("v0.2.0", ReleaseAuditSummary.Create(fromFile, BundleBuilder.WriteChecksum(fromFile), null, ReleaseFiles.GeneratedAt).Summary?.Version);

        var fromName = BundleBuilder.Empty().File("app", "x").WriteTo(_dir.File("tollgate-v1.2.3-rc.1.tgz"));
        var created = ReleaseAuditSummary.Create(fromName, BundleBuilder.WriteChecksum(fromName), null, ReleaseFiles.GeneratedAt);
        Assert.Equal("v1.2.3-rc.1", created.Summary?.Version);
        Assert.Equal("absent", created.Summary?.VersionFile);
    }

    [Fact]
    public void Create_without_any_version_to_go_on_fails_with_version_unknown()
    {
        var bundle = BundleBuilder.Empty().File("app", "x").WriteTo(_dir.File("tollgate-release.tar.gz"));
        var created = ReleaseAuditSummary.Create(bundle, BundleBuilder.WriteChecksum(bundle), null, ReleaseFiles.GeneratedAt);
        Expect.FailedOnly(created.Check, VersionUnknown);
        Assert.Null(created.Summary);
    }

    [Fact]
    public void Create_gives_no_summary_for_a_bundle_that_fails_its_check()
    {
        var bundle = BundleBuilder.Release("v0.2.0").WriteTo(_dir.File("tollgate-release-v0.2.0.tar.gz"));
        var created = ReleaseAuditSummary.Create(bundle, BundleBuilder.WriteChecksum(bundle, sha: new string('0', 64)), "v0.2.0", ReleaseFiles.GeneratedAt);
        Expect.FailedOnly(created.Check, ChecksumMismatch);
        Assert.Null(created.Summary);
    }

    [Fact]
    public void Verify_passes_a_summary_against_its_version_and_its_bundle()
    {
        var release = ReleaseFiles.Create(_dir);
        var withoutBundle = ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0");
        var withBundle = ReleaseAuditSummary.Verify(release.SummaryJson, release.Bundle, "v0.2.0");

        Expect.Passed(withoutBundle);
        Expect.Passed(withBundle);
        Assert.Equal(EvidenceChecks.ReleaseSummary, withBundle.Check);
        Assert.Equal(release.Summary.BundleSha256, withBundle.Facts["recomputed_sha256"]);
        Assert.False(withoutBundle.Facts.ContainsKey("recomputed_sha256"));
    }

    [Fact]
    public void Verify_accepts_a_reformatted_summary()
    {
        var release = ReleaseFiles.Create(_dir);
        File.WriteAllText(release.SummaryJson, JsonNode.Parse(File.ReadAllText(release.SummaryJson))!.ToJsonString());
        Expect.Passed(ReleaseAuditSummary.Verify(release.SummaryJson, release.Bundle, "v0.2.0"));
    }

    [Fact]
    public void Verify_reports_another_version_as_a_version_mismatch()
    {
        var release = ReleaseFiles.Create(_dir);
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.3.0"), VersionMismatch);
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, null, "not a version"), VersionInvalid);
    }

    [Theory]
    [InlineData("bundle_sha256", "\"0000000000000000000000000000000000000000000000000000000000000000\"")]
    [InlineData("bundle_size_bytes", "1")]
    [InlineData("member_count", "99")]
    [InlineData("member_bytes", "0")]
    public void Verify_with_the_bundle_names_every_recomputed_value_that_differs(string field, string json)
    {
        var release = ReleaseFiles.Create(_dir);
        Edit(release.SummaryJson, field, json);

        Expect.Passed(ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0"));
        var result = ReleaseAuditSummary.Verify(release.SummaryJson, release.Bundle, "v0.2.0");
        Expect.FailedOnly(result, SummaryMismatch);
        Assert.Equal(field, result.Facts["mismatched_fields"]);
    }

    [Theory]
    [InlineData("bundle_name", "\"tollgate-release-v0.3.0.tar.gz\"")]
    [InlineData("checksum_name", "\"other-v0.2.0.tar.gz\"")]
    [InlineData("version_file", "\"v0.1.0\"")]
    public void Verify_without_the_bundle_still_catches_values_that_contradict_each_other(string field, string json)
    {
        var release = ReleaseFiles.Create(_dir);
        Edit(release.SummaryJson, field, json);
        var result = ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0");
        Expect.FailedOnly(result, SummaryMismatch);
        Assert.Contains(field, result.Facts["mismatched_fields"]);
    }

    [Fact]
    public void Verify_against_a_different_bundle_of_the_same_version_is_a_mismatch()
    {
        var release = ReleaseFiles.Create(_dir);
        BundleBuilder.Release("v0.2.0").File("patched", "x").WriteTo(release.Bundle);
        var result = ReleaseAuditSummary.Verify(release.SummaryJson, release.Bundle, "v0.2.0");
        Expect.FailedOnly(result, SummaryMismatch);
        Assert.Equal("bundle_sha256,bundle_size_bytes,member_count,member_bytes", result.Facts["mismatched_fields"]);
    }

    [Fact]
    public void Verify_reports_bundle_problems_found_while_recomputing()
    {
        var release = ReleaseFiles.Create(_dir);
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, _dir.File("gone-v0.2.0.tar.gz"), "v0.2.0"), BundleMissing);
        File.WriteAllText(release.Bundle, "garbage");
        Expect.Failed(ReleaseAuditSummary.Verify(release.SummaryJson, release.Bundle, "v0.2.0"), BundleUnreadable, SummaryMismatch);
    }

    public static TheoryData<string> MalformedSummaries => new()
    {
        "",
        "not json",
        "[]",
        "{}",
        """{"schema":"tollgate.release_audit_summary.v2"}""",
    };

    [Theory]
    [MemberData(nameof(MalformedSummaries))]
    public void Verify_refuses_what_is_not_a_summary(string content)
    {
        Expect.FailedOnly(ReleaseAuditSummary.Verify(_dir.Write("s.json", content), null, "v0.2.0"), SummaryMalformed);
    }

    [Theory]
    [InlineData("schema", "\"tollgate.release_audit_summary.v0\"")]
    [InlineData("bundle_sha256", "\"ABC\"")]
    [InlineData("bundle_sha256", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"")]
    [InlineData("bundle_size_bytes", "-1")]
    [InlineData("bundle_size_bytes", "\"12\"")]
    [InlineData("member_count", "1.5")]
    [InlineData("version", "\"\"")]
    [InlineData("generated_at_utc", "\"2026-02-11 08:30:00\"")]
    [InlineData("generated_at_utc", "\"2026-02-11T08:30:00+01:00\"")]
    [InlineData("version_file", "null")]
    public void Verify_refuses_fields_of_the_wrong_type_or_form(string field, string json)
    {
        var release = ReleaseFiles.Create(_dir);
        Edit(release.SummaryJson, field, json);
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0"), SummaryMalformed);
    }

    [Fact]
    public void Verify_refuses_extra_missing_and_repeated_fields()
    {
        var release = ReleaseFiles.Create(_dir);
        var text = File.ReadAllText(release.SummaryJson);

        File.WriteAllText(release.SummaryJson, text.Replace("{\n", "{\n  \"extra\": 1,\n"));
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0"), SummaryMalformed);

        var node = JsonNode.Parse(text)!.AsObject();
        node.Remove("member_bytes");
        File.WriteAllText(release.SummaryJson, node.ToJsonString());
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0"), SummaryMalformed);

        File.WriteAllText(release.SummaryJson, text.Replace("{\n", "{\n  \"version\": \"v0.2.0\",\n"));
        Expect.FailedOnly(ReleaseAuditSummary.Verify(release.SummaryJson, null, "v0.2.0"), SummaryMalformed);
    }

    [Fact]
    public void Verify_reports_a_missing_or_unreadable_summary()
    {
        Expect.FailedOnly(ReleaseAuditSummary.Verify(_dir.File("none.json"), null, "v0.2.0"), SummaryMissing);
        Expect.FailedOnly(ReleaseAuditSummary.Verify(_dir.Path, null, "v0.2.0"), SummaryUnreadable);
        var binary = _dir.File("binary.json");
        File.WriteAllBytes(binary, [0xc3, 0x28]);
        Expect.FailedOnly(ReleaseAuditSummary.Verify(binary, null, "v0.2.0"), SummaryMalformed);
    }

    private static void Edit(string path, string field, string json)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        node[field] = JsonNode.Parse(json);
        File.WriteAllText(path, node.ToJsonString());
    }
}
