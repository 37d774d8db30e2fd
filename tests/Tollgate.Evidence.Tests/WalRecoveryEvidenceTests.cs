using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

public sealed class WalRecoveryEvidenceTests : IDisposable
{
    private const string Sound = """
        DRILL_ID=wal-1
        STATUS=PASS
        STARTED_AT_UTC=2026-02-11T08:30:00Z
        RECOVERED_AT_UTC=2026-02-11T08:30:04Z
        RTO_SECONDS=4.2
        EVENTS_BEFORE=1000
        EVENTS_AFTER=1000
        RPO_EVENTS=0
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EvidenceResult Verify(string content, decimal maxRto = 10, long maxRpo = 0) =>
        WalRecoveryEvidence.Verify(_dir.Write("wal.env", content), maxRto, maxRpo);

    private static string With(string key, string? value)
    {
        var lines = Sound.Split('\n').Where(l => !l.StartsWith(key + "=", StringComparison.Ordinal));
        return string.Join('\n', value is null ? lines : lines.Append($"{key}={value}"));
    }

    [Fact]
    public void The_sample_evidence_passes_the_original_thresholds()
    {
        var result = WalRecoveryEvidence.Verify(Path.Combine(AppContext.BaseDirectory, "Vectors", "wal_recovery_result.env"), 10m, 0);

        Expect.Passed(result);
        Assert.Equal(EvidenceChecks.WalRecovery, result.Check);
        Assert.Equal("4.2", result.Facts["rto_seconds"]);
        Assert.Equal("0", result.Facts["rpo_events"]);
        Assert.Equal("4.2", result.Facts["timestamp_seconds"]);
        Assert.Equal("wal-drill-2026-02-11-01", result.Facts["drill_id"]);
        Assert.Equal("10", result.Facts["max_rto_seconds"]);
    }

    [Fact]
    public void Only_the_four_measured_fields_are_required()
    {
        Expect.Passed(Verify("DRILL_ID=wal-1\nSTATUS=PASS\nRTO_SECONDS=3\nRPO_EVENTS=0\n"));
    }

    [Fact]
    public void An_RTO_above_the_maximum_is_exceeded_and_equal_is_not()
    {
        Expect.FailedOnly(Verify(Sound, maxRto: 4.1m), WalRtoExceeded);
        Expect.Passed(Verify(Sound, maxRto: 4.2m));
    }

    [Fact]
    public void Lost_events_above_the_maximum_exceed_the_RPO()
    {
        var lossy = With("EVENTS_AFTER", "997").Replace("RPO_EVENTS=0", "RPO_EVENTS=3");
        Expect.FailedOnly(Verify(lossy, maxRpo: 0), WalRpoExceeded);
        Expect.Passed(Verify(lossy, maxRpo: 3));
    }

    [Fact]
    public void A_drill_that_reported_failure_fails()
    {
        Expect.FailedOnly(Verify(With("STATUS", "FAIL")), WalRecoveryFailed);
    }

    [Fact]
    public void Missing_fields_are_named_together()
    {
        var result = Verify("DRILL_ID=wal-1\nRTO_SECONDS=\n# STATUS=PASS\n");
        Expect.FailedOnly(result, WalEvidenceMissingField);
        Assert.Equal("STATUS,RTO_SECONDS,RPO_EVENTS", result.Facts["missing_fields"]);
        Assert.Contains("STATUS, RTO_SECONDS, RPO_EVENTS", result.Summary);
    }

    [Theory]
    [InlineData("RTO_SECONDS", "4,2")]
    [InlineData("RTO_SECONDS", "-1")]
    [InlineData("RTO_SECONDS", "1e3")]
    [InlineData("RTO_SECONDS", "four")]
    [InlineData("RPO_EVENTS", "0.5")]
    [InlineData("RPO_EVENTS", "-2")]
    [InlineData("STATUS", "pass")]
    [InlineData("STATUS", "OK")]
    [InlineData("STARTED_AT_UTC", "2026-02-11 08:30:00")]
    [InlineData("RECOVERED_AT_UTC", "2026-02-11T08:30:04+00:00")]
    [InlineData("EVENTS_BEFORE", "lots")]
    public void A_field_that_does_not_parse_is_invalid_and_named(string key, string value)
    {
        var result = Verify(With(key, value));
        Expect.Failed(result, WalEvidenceInvalid);
        Assert.Contains(key, result.Facts["invalid_fields"]);
    }

    [Fact]
    public void An_RTO_that_disagrees_with_the_timestamps_by_more_than_a_second_is_invalid()
    {
        Expect.Passed(Verify(With("RTO_SECONDS", "5")));
        Expect.Passed(Verify(With("RTO_SECONDS", "3")));
        var result = Verify(With("RTO_SECONDS", "2.9"));
        Expect.FailedOnly(result, WalEvidenceInvalid);
        Assert.Equal("RTO_SECONDS", result.Facts["invalid_fields"]);
    }

    [Fact]
    public void Recovery_before_the_failure_is_invalid()
    {
        var result = Verify(With("RECOVERED_AT_UTC", "2026-02-11T08:29:00Z"));
        Expect.FailedOnly(result, WalEvidenceInvalid);
        Assert.Equal("RECOVERED_AT_UTC", result.Facts["invalid_fields"]);
    }

    [Fact]
    public void An_RPO_that_disagrees_with_the_event_counts_is_invalid()
    {
        Expect.FailedOnly(Verify(With("EVENTS_AFTER", "990")), WalEvidenceInvalid);
        Expect.FailedOnly(Verify(With("EVENTS_AFTER", "1001")), WalEvidenceInvalid);
    }

    [Fact]
    public void Negative_thresholds_are_invalid()
    {
        Expect.FailedOnly(Verify(Sound, maxRto: -1), WalThresholdInvalid);
        Expect.FailedOnly(Verify(Sound, maxRpo: -1), WalThresholdInvalid);
    }

    [Fact]
    public void Lines_that_are_not_assignments_are_malformed_and_named_by_number()
    {
        var result = Verify(Sound + "\nthis line is prose\nRTO_SECONDS=1\n");
        Expect.FailedOnly(result, WalEvidenceMalformed);
        Assert.Equal("9,10", result.Facts["malformed_lines"]);
        Assert.Contains("line 10 sets RTO_SECONDS a second time", result.Summary);
    }

    [Theory]
    [InlineData("DRILL_ID=\"unclosed")]
    [InlineData("DRILL_ID='a' trailing")]
    [InlineData("1DRILL=x")]
    [InlineData("=x")]
    public void Broken_quoting_and_bad_keys_are_malformed(string line)
    {
        Expect.Failed(Verify(Sound + "\n" + line + "\n"), WalEvidenceMalformed);
    }

    [Fact]
    public void Env_syntax_quotes_comments_export_and_CRLF_are_understood()
    {
        var content = "# drill\r\nexport DRILL_ID=\"wal 1 # not a comment\"\r\n  STATUS = 'PASS'  # judged by harness\r\nRTO_SECONDS=4.2\t# tab comment\r\nRPO_EVENTS=0\r\n\r\n";
        var result = Verify(content);
        Expect.Passed(result);
        Assert.Equal("wal 1 # not a comment", result.Facts["drill_id"]);
        Assert.Equal("4.2", result.Facts["rto_seconds"]);
    }

    [Fact]
    public void Unknown_keys_never_become_facts()
    {
        var result = Verify(Sound + "\nDB_PASSWORD=hunter2\nAPI_TOKEN=secret\n");
        Expect.Passed(result);
        Assert.DoesNotContain(result.Facts, fact => fact.Value.Contains("hunter2") || fact.Value.Contains("secret"));
        Assert.DoesNotContain("hunter2", result.ToPayload().ToJsonString());
    }

    [Fact]
    public void A_malformed_line_is_named_by_number_never_by_content()
    {
        var result = Verify(Sound + "\nexport TOKEN hunter2\n");
        Expect.FailedOnly(result, WalEvidenceMalformed);
        Assert.DoesNotContain("hunter2", result.Summary);
    }

    [Fact]
    public void A_missing_unreadable_or_binary_file_is_a_result()
    {
        Expect.FailedOnly(WalRecoveryEvidence.Verify(_dir.File("none.env"), 10, 0), WalEvidenceFileMissing);
        Expect.FailedOnly(WalRecoveryEvidence.Verify(_dir.Path, 10, 0), WalEvidenceUnreadable);
        var binary = _dir.File("binary.env");
        File.WriteAllBytes(binary, [0x44, 0x3d, 0xff, 0xfe]);
        Expect.FailedOnly(WalRecoveryEvidence.Verify(binary, 10, 0), WalEvidenceMalformed);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_run()
    {
        var content = "DRILL_ID=wal-1\nSTATUS=FAIL\nRTO_SECONDS=30\nRPO_EVENTS=12\nEVENTS_BEFORE=x\n";
        Expect.FailedOnly(Verify(content), WalEvidenceInvalid, WalRecoveryFailed, WalRtoExceeded, WalRpoExceeded);
    }
}
