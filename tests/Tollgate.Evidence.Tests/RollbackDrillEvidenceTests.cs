using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

public sealed class RollbackDrillEvidenceTests : IDisposable
{
    private const string Sound = """
        DRILL_ID=rb-1
        ENVIRONMENT=staging
        FROM_VERSION=v0.2.0
        TO_VERSION=v0.1.9
        ROLLBACK_STARTED_AT_UTC=2026-02-11T09:00:00Z
        ROLLBACK_COMPLETED_AT_UTC=2026-02-11T09:01:12Z
        ROLLBACK_SECONDS=72
        HEALTH_CHECK=PASS
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EvidenceResult Verify(string content, decimal max = 180) => RollbackDrillEvidence.Verify(_dir.Write("rb.env", content), max);

    private static string With(string key, string? value)
    {
        var lines = Sound.Split('\n').Where(l => !l.StartsWith(key + "=", StringComparison.Ordinal));
        return string.Join('\n', value is null ? lines : lines.Append($"{key}={value}"));
    }

    [Fact]
    public void The_sample_evidence_passes_the_original_limit()
    {
        var result = RollbackDrillEvidence.Verify(Path.Combine(AppContext.BaseDirectory, "Vectors", "deploy_rollback_result.env"), 180m);

        Expect.Passed(result);
        Assert.Equal(EvidenceChecks.RollbackDrill, result.Check);
        Assert.Equal("72", result.Facts["rollback_seconds"]);
        Assert.Equal("v0.2.0", result.Facts["from_version"]);
        Assert.Equal("v0.1.9", result.Facts["to_version"]);
        Assert.Equal("95.5", result.Facts["deploy_seconds"]);
        Assert.Equal("180", result.Facts["max_rollback_seconds"]);
    }

    [Fact]
    public void A_rollback_slower_than_the_limit_is_exceeded_and_equal_is_not()
    {
        Expect.FailedOnly(Verify(Sound, max: 71.5m), RollbackTimeExceeded);
        Expect.Passed(Verify(Sound, max: 72m));
    }

    [Fact]
    public void A_failed_health_check_fails()
    {
        Expect.FailedOnly(Verify(With("HEALTH_CHECK", "FAIL")), RollbackHealthFail);
    }

    [Fact]
    public void Missing_fields_are_named_together()
    {
        var result = Verify(With("ENVIRONMENT", null).Replace("TO_VERSION=v0.1.9", "TO_VERSION=\"\""));
        Expect.FailedOnly(result, RollbackEvidenceMissingField);
        Assert.Equal("ENVIRONMENT,TO_VERSION", result.Facts["missing_fields"]);
    }

    [Theory]
    [InlineData("ROLLBACK_SECONDS", "72s")]
    [InlineData("HEALTH_CHECK", "GREEN")]
    [InlineData("FROM_VERSION", "v0.2.0 beta")]
    [InlineData("ROLLBACK_STARTED_AT_UTC", "yesterday")]
    [InlineData("DEPLOY_SECONDS", "-3")]
    public void A_field_that_does_not_parse_is_invalid_and_named(string key, string value)
    {
        var result = Verify(With(key, value));
        Expect.Failed(result, RollbackEvidenceInvalid);
        Assert.Contains(key, result.Facts["invalid_fields"]);
    }

    [Fact]
    public void Seconds_that_disagree_with_the_timestamps_are_invalid()
    {
        Expect.Passed(Verify(With("ROLLBACK_SECONDS", "73")));
        Expect.FailedOnly(Verify(With("ROLLBACK_SECONDS", "60")), RollbackEvidenceInvalid);
        Expect.FailedOnly(Verify(With("ROLLBACK_COMPLETED_AT_UTC", "2026-02-11T08:59:00Z")), RollbackEvidenceInvalid);
    }

    [Fact]
    public void Rolling_back_to_the_same_version_is_invalid()
    {
        var result = Verify(With("TO_VERSION", "v0.2.0"));
        Expect.FailedOnly(result, RollbackEvidenceInvalid);
        Assert.Equal("TO_VERSION", result.Facts["invalid_fields"]);
    }

    [Fact]
    public void Malformed_missing_and_unreadable_files_are_results()
    {
        Expect.FailedOnly(Verify(Sound + "\nFROM_VERSION=v0.3.0\n"), RollbackEvidenceMalformed);
        Expect.FailedOnly(RollbackDrillEvidence.Verify(_dir.File("none.env"), 180), RollbackEvidenceFileMissing);
        Expect.FailedOnly(RollbackDrillEvidence.Verify(_dir.Path, 180), RollbackEvidenceUnreadable);
    }

    [Fact]
    public void A_negative_limit_is_invalid()
    {
        Expect.FailedOnly(Verify(Sound, max: -1), RollbackThresholdInvalid);
    }
}
