using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tollgate.Evidence;
using Tollgate.Ledger.Canonical;
using Tollgate.Ledger.Entries;

namespace Tollgate.Host.Tests.Evidence;

/// <summary>What every evidence command shares: the entry it writes, idempotent re-runs, --no-ledger, refusals, an unreachable host.</summary>
public sealed class EvidenceRecordingCliTests : EvidenceCliHost
{
    private string[] WalArgs(string maxRto = "10") =>
        ["wal-recovery", "--evidence-file", Files.Write("wal.env", EvidenceFiles.WalSample), "--max-rto-seconds", maxRto, "--max-rpo-events", "0"];

    [Fact]
    public async Task The_entry_is_keyed_by_the_hash_of_its_canonical_payload_and_names_actor_correlation_and_environment()
    {
        var run = await EvidenceAsync([.. WalArgs(), "--actor", "ci:release-pipeline", "--correlation", "release-v0.2.0", "--environment", "paper"]);
        await AssertRecordedOnceAsync(run, 0, EvidenceChecks.WalRecovery);
        var (_, entry) = await EntryAsync(run.Key);
        Assert.Equal("ci:release-pipeline", entry.GetProperty("actor").GetString());
        Assert.Equal("release-v0.2.0", entry.GetProperty("correlation_id").GetString());
        Assert.Equal("Paper", entry.GetProperty("environment").GetString());
        Assert.Empty(entry.GetProperty("refs").EnumerateArray());
        var payload = JsonCanonicalizer.Canonicalize(JsonNode.Parse(entry.GetProperty("payload").GetRawText()));
        Assert.Equal($"evidence:dr.wal_recovery:{Convert.ToHexStringLower(SHA256.HashData(payload))}", run.Key);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.GetProperty("time").GetString());
    }

    [Fact]
    public async Task By_default_the_actor_is_the_tokens_subject_and_the_correlation_names_the_check()
    {
        var run = await EvidenceAsync(WalArgs());
        await AssertRecordedOnceAsync(run, 0, EvidenceChecks.WalRecovery);
        var (_, entry) = await EntryAsync(run.Key);
        Assert.Equal(Support.HostFactory.DefaultSubject, entry.GetProperty("actor").GetString());
        Assert.Equal("evidence-dr.wal_recovery", entry.GetProperty("correlation_id").GetString());
        Assert.Null(entry.GetProperty("environment").GetString());
    }

    [Fact]
    public async Task Running_the_same_check_again_records_nothing_new()
    {
        var first = await EvidenceAsync(WalArgs());
        await AssertRecordedOnceAsync(first, 0, EvidenceChecks.WalRecovery);
        await Task.Delay(5); // another millisecond: the entry's bytes differ, the result does not
        var again = await EvidenceAsync(WalArgs());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already recorded: ledger index 0 (the same result, recorded at ", again.Out);
        Assert.Equal(first.Key, again.Key);
        Assert.Equal("", again.Error);

        var failed = await EvidenceAsync(WalArgs(maxRto: "1"));
        Assert.Equal(1, failed.RecordedIndex);
        await Task.Delay(5);
        var failedAgain = await EvidenceAsync(WalArgs(maxRto: "1"));
        Assert.Equal(1, failedAgain.ExitCode); // still the check's verdict
        Assert.Contains("already recorded: ledger index 1", failedAgain.Out);
        Assert.Equal(2, await LedgerSizeAsync());
    }

    [Fact]
    public async Task The_first_recording_stands_and_a_rerun_by_someone_else_names_it()
    {
        var first = await EvidenceAsync([.. WalArgs(), "--actor", "alice", "--environment", "Paper"]);
        await AssertRecordedOnceAsync(first, 0, EvidenceChecks.WalRecovery);
        await Task.Delay(5);
        var again = await EvidenceAsync([.. WalArgs(), "--actor", "bob"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("by alice, correlation evidence-dr.wal_recovery, environment Paper); nothing new was written", again.Out);
        Assert.Equal(1, await LedgerSizeAsync());
    }

    [Fact]
    public async Task A_key_holding_another_result_is_a_conflict_exit_2()
    {
        var args = WalArgs();
        var result = WalRecoveryEvidence.Verify(args[2], 10, 0);
        var key = $"evidence:{result.Check}:{Convert.ToHexStringLower(SHA256.HashData(JsonCanonicalizer.Canonicalize(result.ToPayload())))}";
        var squatter = LedgerEntry.Create(new LedgerEntryFields("evidence", key, DateTimeOffset.UtcNow, "someone", "elsewhere", null, []),
            new JsonObject { ["check"] = result.Check, ["passed"] = false, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject() });
        Assert.Equal(HttpStatusCode.Created, (await AppendAsync(squatter)).StatusCode);

        var run = await EvidenceAsync(args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("PASS dr.wal_recovery", run.Out);
        Assert.Contains("error LEDGER_KEY_CONFLICT: ledger entry 0 holds key", run.Error);
        Assert.Equal(1, await LedgerSizeAsync());
    }

    [Fact]
    public async Task No_ledger_prints_the_verdict_and_records_nothing()
    {
        var pass = await EvidenceAsync([.. WalArgs(), "--no-ledger"]);
        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.StartsWith("PASS dr.wal_recovery", pass.Out);
        Assert.Contains("not recorded: --no-ledger given; nothing was written to the audit ledger.", pass.Out);

        var fail = await EvidenceAsync(["--no-ledger", .. WalArgs(maxRto: "1")]);
        Assert.True(fail.ExitCode == 1, fail.ToString());
        Assert.StartsWith($"FAIL dr.wal_recovery: {EvidenceReasonCodes.WalRtoExceeded}", fail.Out);
        Assert.Contains("not recorded", fail.Out);
        Assert.Equal(0, await LedgerSizeAsync());
    }

    [Fact]
    public async Task No_ledger_never_contacts_the_host()
    {
        var run = await EvidenceUnreachableAsync([.. WalArgs(), "--no-ledger"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task An_unreachable_host_exits_3_after_printing_the_verdict_it_could_not_record()
    {
        var run = await EvidenceUnreachableAsync(WalArgs());
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.StartsWith("PASS dr.wal_recovery", run.Out);
        Assert.Contains("cannot reach", run.Error);
        Assert.Contains("NOT written to the audit ledger", run.Error);
        Assert.DoesNotContain("recorded: ledger index", run.Out);
    }

    [Fact]
    public async Task An_unreachable_host_exits_3_for_a_failed_check_too()
    {
        var run = await EvidenceUnreachableAsync(WalArgs(maxRto: "1"));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.StartsWith("FAIL dr.wal_recovery", run.Out);
    }

    public static TheoryData<string[]> BadArguments => new()
    {
        new[] { "release-verify", "--bundle", "b.tar.gz", "--checksum", "b.sha256" },                              // --expect-version missing
        new[] { "release-verify", "--bundle", "b.tar.gz", "--checksum", "b.sha256", "--expect-version", "v 1" },  // REL-VERSION-INVALID
        new[] { "verify-summary", "--summary-json", "s.json", "--expect-version", "v0.2.0/../x" },               // REL-VERSION-INVALID
        new[] { "audit-summary", "--bundle", "b.tar.gz", "--checksum", "b.sha256", "--output", "same.md", "--json-output", "same.md" },
        new[] { "audit-index", "--summary-json", "s.json" },                                                        // --output-jsonl missing
        new[] { "wal-recovery", "--evidence-file", "w.env", "--max-rto-seconds", "-1", "--max-rpo-events", "0" }, // DR-THRESHOLD-INVALID
        new[] { "wal-recovery", "--evidence-file", "w.env", "--max-rto-seconds", "ten", "--max-rpo-events", "0" },
        new[] { "wal-recovery", "--evidence-file", "w.env", "--max-rto-seconds", "10", "--max-rpo-events", "1.5" },
        new[] { "rollback-drill", "--evidence-file", "r.env", "--max-rollback-seconds", "-5" },                  // RB-THRESHOLD-INVALID
        new[] { "rollback-drill", "--evidence-file", "r.env" },
        new[] { "rollback-drill", "--evidence-file", "r.env", "--max-rollback-seconds", "5", "--environment", "Prod" },
        new[] { "rollback-drill", "--evidence-file", "r.env", "--max-rollback-seconds", "5", "--correlation", "has space" },
        new[] { "rollback-drill", "--evidence-file", "r.env", "--max-rollback-seconds", "5", "--actor", "line\nbreak" },
        new[] { "no-such-check" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Bad_arguments_exit_2_and_record_nothing(string[] args)
    {
        var run = await EvidenceAsync([.. args.Select(arg => arg.EndsWith(".env") || arg.EndsWith(".json") || arg.EndsWith(".gz") || arg.EndsWith(".sha256") || arg.EndsWith(".md") ? Files.PathOf(arg) : arg)]);
        await AssertRefusedAsync(run, "INVALID_ARGUMENTS");
    }

    [Fact]
    public async Task A_negative_threshold_is_refused_naming_the_library_code()
    {
        var run = await EvidenceAsync([.. WalArgs(maxRto: "-1")]);
        await AssertRefusedAsync(run, "INVALID_ARGUMENTS");
        Assert.Contains(EvidenceReasonCodes.WalThresholdInvalid, run.Error);
    }
}
