using Tollgate.Evidence;

namespace Tollgate.Host.Tests.Evidence;

/// <summary><c>tollgate evidence wal-recovery|rollback-drill</c> against the in-process host.</summary>
public sealed class DrillEvidenceCliTests : EvidenceCliHost
{
    [Fact]
    public async Task Wal_recovery_passes_on_the_sample_and_records_one_entry_without_undocumented_keys()
    {
        var evidence = Files.Write("wal.env", EvidenceFiles.WalSample + "API_TOKEN=s3cret-do-not-record\n");
        var run = await EvidenceAsync("wal-recovery", "--evidence-file", evidence, "--max-rto-seconds", "10", "--max-rpo-events", "0");
        var payload = await AssertRecordedOnceAsync(run, 0, EvidenceChecks.WalRecovery);
        Assert.Empty(Codes(payload));
        Assert.Equal("10", Fact(payload, "max_rto_seconds"));
        Assert.DoesNotContain("s3cret", payload.GetRawText());
        Assert.DoesNotContain("s3cret", run.Out);
    }

    [Fact]
    public async Task Wal_recovery_fails_with_exit_1_when_the_rto_is_exceeded_and_records_it()
    {
        var evidence = Files.Write("wal.env", EvidenceFiles.WalSample);
        var run = await EvidenceAsync("wal-recovery", "--evidence-file", evidence, "--max-rto-seconds", "3.5", "--max-rpo-events", "0");
        Assert.Equal([EvidenceReasonCodes.WalRtoExceeded], Codes(await AssertRecordedOnceAsync(run, 1, EvidenceChecks.WalRecovery)));
        Assert.Contains($"  {EvidenceReasonCodes.WalRtoExceeded}: {EvidenceReasonCodes.Describe(EvidenceReasonCodes.WalRtoExceeded)}", run.Out);
    }

    [Fact]
    public async Task Wal_recovery_fails_when_the_drill_itself_failed()
    {
        var evidence = Files.Write("wal.env", EvidenceFiles.WalSample.Replace("STATUS=PASS", "STATUS=FAIL"));
        var run = await EvidenceAsync("wal-recovery", "--evidence-file", evidence, "--max-rto-seconds", "10", "--max-rpo-events", "0");
        Assert.Contains(EvidenceReasonCodes.WalRecoveryFailed, Codes(await AssertRecordedOnceAsync(run, 1, EvidenceChecks.WalRecovery)));
    }

    [Fact]
    public async Task Rollback_drill_passes_on_the_sample_and_records_one_entry()
    {
        var evidence = Files.Write("rollback.env", EvidenceFiles.RollbackSample);
        var run = await EvidenceAsync("rollback-drill", "--evidence-file", evidence, "--max-rollback-seconds", "180");
        var payload = await AssertRecordedOnceAsync(run, 0, EvidenceChecks.RollbackDrill);
        Assert.Empty(Codes(payload));
    }

    [Theory]
    [InlineData("HEALTH_CHECK='PASS'", "HEALTH_CHECK=FAIL", "180", EvidenceReasonCodes.RollbackHealthFail)]
    [InlineData("", "", "60", EvidenceReasonCodes.RollbackTimeExceeded)]
    [InlineData("TO_VERSION=v0.1.9", "", "180", EvidenceReasonCodes.RollbackEvidenceMissingField)]
    public async Task Rollback_drill_fails_with_exit_1_and_the_reason_code(string replace, string with, string maxSeconds, string code)
    {
        var text = replace.Length == 0 ? EvidenceFiles.RollbackSample : EvidenceFiles.RollbackSample.Replace(replace, with);
        var run = await EvidenceAsync("rollback-drill", "--evidence-file", Files.Write("rollback.env", text), "--max-rollback-seconds", maxSeconds);
        Assert.Contains(code, Codes(await AssertRecordedOnceAsync(run, 1, EvidenceChecks.RollbackDrill)));
    }

    [Fact]
    public async Task A_missing_evidence_file_is_a_failed_check_and_recorded()
    {
        var run = await EvidenceAsync("rollback-drill", "--evidence-file", Files.PathOf("absent.env"), "--max-rollback-seconds", "180");
        Assert.Equal([EvidenceReasonCodes.RollbackEvidenceFileMissing], Codes(await AssertRecordedOnceAsync(run, 1, EvidenceChecks.RollbackDrill)));
    }
}
