using System.Text.Json.Nodes;
using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

/// <summary>
/// One minimal way to provoke each reason code, so that the catalogue cannot hold a code no
/// input reaches. The focused tests cover each code in more depth.
/// </summary>
public static class ReasonCodeScenarios
{
    private const string Version = "v0.2.0";
    private const string WalSound = "DRILL_ID=d\nSTATUS=PASS\nRTO_SECONDS=4\nRPO_EVENTS=0\n";
    private const string RollbackSound = "DRILL_ID=d\nENVIRONMENT=staging\nFROM_VERSION=v0.2.0\nTO_VERSION=v0.1.9\nROLLBACK_SECONDS=60\nHEALTH_CHECK=PASS\n";

    public static readonly IReadOnlyDictionary<string, Func<TempDir, EvidenceResult>> All = new Dictionary<string, Func<TempDir, EvidenceResult>>
    {
        [BundleMissing] = dir => ReleaseBundleCheck.Verify(dir.File("gone-v0.2.0.tar.gz"), dir.Write("c.sha256", Line("gone-v0.2.0.tar.gz")), Version),
        [BundleUnreadable] = dir => Bundle(dir, path => File.WriteAllText(path, "not gzip")),
        [BundleFormat] = dir => Bundle(dir, path => BundleBuilder.Release(Version).WriteTo(path), "tollgate-release-v0.2.0.zip"),
        [BundleEmpty] = dir => Bundle(dir, path => BundleBuilder.Empty().Directory("bin/").WriteTo(path)),
        [BundleUnsafeMember] = dir => Bundle(dir, path => BundleBuilder.Release(Version).File("../escape", "x").WriteTo(path)),
        [ChecksumMissing] = dir => ReleaseBundleCheck.Verify(Release(dir), dir.File("none.sha256"), Version),
        [ChecksumUnreadable] = dir => ReleaseBundleCheck.Verify(Release(dir), dir.Path, Version),
        [ChecksumFormat] = dir => ReleaseBundleCheck.Verify(Release(dir), dir.Write("c.sha256", "deadbeef  x\n"), Version),
        [ChecksumNameMismatch] = dir => ReleaseBundleCheck.Verify(Release(dir), BundleBuilder.WriteChecksum(Release(dir), "other.tar.gz"), Version),
        [ChecksumMismatch] = dir => ReleaseBundleCheck.Verify(Release(dir), BundleBuilder.WriteChecksum(Release(dir), sha: new string('0', 64)), Version),
        [VersionInvalid] = dir => ReleaseBundleCheck.Verify(Release(dir), BundleBuilder.WriteChecksum(Release(dir)), "v 0.2"),
        [VersionMismatch] = dir => ReleaseBundleCheck.Verify(Release(dir), BundleBuilder.WriteChecksum(Release(dir)), "v0.3.0"),
        [VersionUnknown] = dir =>
        {
            var bundle = BundleBuilder.Empty().File("app", "x").WriteTo(dir.File("tollgate.tar.gz"));
            return ReleaseAuditSummary.Create(bundle, BundleBuilder.WriteChecksum(bundle), null, ReleaseFiles.GeneratedAt).Check;
        },
        [VersionFileInvalid] = dir => Bundle(dir, path => BundleBuilder.Empty().File("VERSION", "").WriteTo(path)),
        [VersionFileMismatch] = dir => Bundle(dir, path => BundleBuilder.Release("v0.1.0").WriteTo(path)),
        [SummaryMissing] = dir => ReleaseAuditSummary.Verify(dir.File("none.json"), null, Version),
        [SummaryUnreadable] = dir => ReleaseAuditSummary.Verify(dir.Path, null, Version),
        [SummaryMalformed] = dir => ReleaseAuditSummary.Verify(dir.Write("s.json", "{}"), null, Version),
        [SummaryMismatch] = dir =>
        {
            var release = ReleaseFiles.Create(dir);
            File.AppendAllText(release.Bundle, "appended");
            return ReleaseAuditSummary.Verify(release.SummaryJson, release.Bundle, Version);
        },
        [IndexMissing] = dir => ReleaseAuditIndex.Verify(ReleaseFiles.Create(dir).SummaryJson, dir.File("none.jsonl"), Version),
        [IndexUnreadable] = dir => ReleaseAuditIndex.Verify(ReleaseFiles.Create(dir).SummaryJson, dir.Path, Version),
        [IndexMalformed] = dir => Index(dir, lines => lines.Insert(0, "junk")),
        [IndexTampered] = dir => Index(dir, lines => lines.Reverse()),
        [IndexTruncated] = dir => Index(dir, lines => lines[^1] = lines[^1][..10], newlineAtEnd: false),
        [IndexConflict] = dir =>
        {
            var index = dir.File("index.jsonl");
            ReleaseAuditIndex.Append(ReleaseFiles.Create(dir).Summary, index);
            return ReleaseAuditIndex.Append(ReleaseFiles.Create(dir).Summary with { BundleSha256 = new string('f', 64) }, index);
        },
        [IndexMissingEntry] = dir => ReleaseAuditIndex.Verify(ReleaseFiles.Create(dir).SummaryJson, dir.Write("index.jsonl", ""), Version),
        [IndexDuplicateEntry] = dir => Index(dir, lines =>
        {
            var copy = JsonNode.Parse(lines[0])!.AsObject();
            copy["seq"] = lines.Count + 1;
            copy["prev_sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines[^1])));
            lines.Add(ReleaseAuditIndexTests.Reseal(copy));
        }),
        [IndexBusy] = dir =>
        {
            var index = dir.Write("index.jsonl", "");
            using var holder = new FileStream(index, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return ReleaseAuditIndex.Append(ReleaseFiles.Create(dir).Summary, index);
        },
        [IndexWriteFailed] = dir => ReleaseAuditIndex.Append(ReleaseFiles.Create(dir).Summary, dir.File("missing/index.jsonl")),
        [WalThresholdInvalid] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", WalSound), -1, 0),
        [WalEvidenceFileMissing] = dir => WalRecoveryEvidence.Verify(dir.File("none.env"), 10, 0),
        [WalEvidenceUnreadable] = dir => WalRecoveryEvidence.Verify(dir.Path, 10, 0),
        [WalEvidenceMalformed] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", WalSound + "oops\n"), 10, 0),
        [WalEvidenceMissingField] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", "DRILL_ID=d\n"), 10, 0),
        [WalEvidenceInvalid] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", WalSound + "STARTED_AT_UTC=2026-02-11T08:00:00Z\nRECOVERED_AT_UTC=2026-02-11T08:01:00Z\n"), 100, 0),
        [WalRecoveryFailed] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", WalSound.Replace("STATUS=PASS", "STATUS=FAIL")), 10, 0),
        [WalRtoExceeded] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", WalSound), 3.5m, 0),
        [WalRpoExceeded] = dir => WalRecoveryEvidence.Verify(dir.Write("w.env", WalSound.Replace("RPO_EVENTS=0", "RPO_EVENTS=1")), 10, 0),
        [RollbackThresholdInvalid] = dir => RollbackDrillEvidence.Verify(dir.Write("r.env", RollbackSound), -0.5m),
        [RollbackEvidenceFileMissing] = dir => RollbackDrillEvidence.Verify(dir.File("none.env"), 180),
        [RollbackEvidenceUnreadable] = dir => RollbackDrillEvidence.Verify(dir.Path, 180),
        [RollbackEvidenceMalformed] = dir => RollbackDrillEvidence.Verify(dir.Write("r.env", RollbackSound + "HEALTH_CHECK=PASS\n"), 180),
        [RollbackEvidenceMissingField] = dir => RollbackDrillEvidence.Verify(dir.Write("r.env", "DRILL_ID=d\n"), 180),
        [RollbackEvidenceInvalid] = dir => RollbackDrillEvidence.Verify(dir.Write("r.env", RollbackSound.Replace("v0.1.9", "v0.2.0")), 180),
        [RollbackTimeExceeded] = dir => RollbackDrillEvidence.Verify(dir.Write("r.env", RollbackSound), 59),
        [RollbackHealthFail] = dir => RollbackDrillEvidence.Verify(dir.Write("r.env", RollbackSound.Replace("HEALTH_CHECK=PASS", "HEALTH_CHECK=FAIL")), 180),
    };

    private static string Line(string name) => new string('a', 64) + "  " + name + "\n";

    private static string Release(TempDir dir)
    {
        var path = dir.File("tollgate-release-v0.2.0.tar.gz");
        return File.Exists(path) ? path : BundleBuilder.Release(Version).WriteTo(path);
    }

    private static EvidenceResult Bundle(TempDir dir, Action<string> write, string name = "tollgate-release-v0.2.0.tar.gz")
    {
        var path = dir.File(name);
        write(path);
        return ReleaseBundleCheck.Verify(path, BundleBuilder.WriteChecksum(path), Version);
    }

    /// <summary>An index of two releases (v0.1.0, v0.2.0), edited, then verified for v0.2.0.</summary>
    private static EvidenceResult Index(TempDir dir, Action<List<string>> edit, bool newlineAtEnd = true)
    {
        var index = dir.File("index.jsonl");
        var older = ReleaseFiles.Create(dir, "v0.1.0");
        var release = ReleaseFiles.Create(dir);
        ReleaseAuditIndex.Append(older.Summary, index);
        ReleaseAuditIndex.Append(release.Summary, index);
        var lines = File.ReadAllLines(index).ToList();
        edit(lines);
        File.WriteAllText(index, string.Join("\n", lines) + (newlineAtEnd ? "\n" : ""));
        return ReleaseAuditIndex.Verify(release.SummaryJson, index, Version);
    }
}
