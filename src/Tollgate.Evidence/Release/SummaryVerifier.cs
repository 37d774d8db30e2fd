using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>The checks behind <see cref="ReleaseAuditSummary.Verify"/>.</summary>
internal static class SummaryVerifier
{
    public static EvidenceResult Verify(string summaryPath, string? bundlePath, string expectVersion)
    {
        ArgumentNullException.ThrowIfNull(summaryPath);
        ArgumentNullException.ThrowIfNull(expectVersion);
        var result = new EvidenceResultBuilder(EvidenceChecks.ReleaseSummary);
        result.Fact("expect_version", expectVersion);
        var expectValid = ReleaseVersion.IsValid(expectVersion);
        if (!expectValid)
        {
            result.Fail(EvidenceReasonCodes.VersionInvalid, $"expected version '{expectVersion}' is not a version");
        }

        var summary = ReleaseAuditSummary.Read(summaryPath, result);
        if (summary is null)
        {
            return result.Build("");
        }

        result.Fact("version", summary.Version);
        result.Fact("bundle_name", summary.BundleName);
        result.Fact("bundle_sha256", summary.BundleSha256);
        result.Fact("generated_at_utc", UtcTimestamp.Format(summary.GeneratedAtUtc));
        if (expectValid && !string.Equals(summary.Version, expectVersion, StringComparison.Ordinal))
        {
            result.Fail(EvidenceReasonCodes.VersionMismatch, $"summary is for {summary.Version}, expected {expectVersion}");
        }

        var mismatched = new List<string>();
        CheckConsistency(summary, mismatched);
        if (bundlePath is not null)
        {
            result.Fact("bundle_recomputed", "true");
            CompareWithBundle(summary, bundlePath, mismatched, result);
        }

        if (mismatched.Count > 0)
        {
            result.Fact("mismatched_fields", string.Join(",", mismatched));
            result.Fail(EvidenceReasonCodes.SummaryMismatch, $"summary disagrees on {string.Join(", ", mismatched)}");
        }

        var recomputed = bundlePath is null ? "" : ", and matches the bundle recomputed now";
        return result.Build($"summary of {summary.BundleName} is release {summary.Version}{recomputed}");
    }

    /// <summary>Values a correct summary implies about each other, checkable without the bundle.</summary>
    private static void CheckConsistency(ReleaseAuditSummary summary, List<string> mismatched)
    {
        var stem = ReleaseVersion.ArchiveStem(summary.BundleName);
        if (stem is null || !ReleaseVersion.StemCarries(stem, summary.Version))
        {
            mismatched.Add("bundle_name");
        }

        var checksumFile = new ChecksumLine(summary.BundleSha256, summary.ChecksumName).FileName;
        if (!string.Equals(checksumFile, summary.BundleName, StringComparison.Ordinal))
        {
            mismatched.Add("checksum_name");
        }

        if (summary.VersionFile != "absent" && summary.VersionFile != summary.Version)
        {
            mismatched.Add("version_file");
        }
    }

    private static void CompareWithBundle(ReleaseAuditSummary summary, string bundlePath, List<string> mismatched, EvidenceResultBuilder result)
    {
        var inspection = BundleInspector.Inspect(bundlePath, result);
        if (inspection is null)
        {
            return;
        }

        result.Fact("recomputed_sha256", inspection.Sha256);
        result.Fact("recomputed_size_bytes", inspection.SizeBytes);

        void Compare(string field, string inSummary, string recomputed)
        {
            if (!string.Equals(inSummary, recomputed, StringComparison.Ordinal) && !mismatched.Contains(field))
            {
                mismatched.Add(field);
            }
        }

        Compare("bundle_name", summary.BundleName, inspection.FileName);
        Compare("bundle_sha256", summary.BundleSha256, inspection.Sha256);
        Compare("bundle_size_bytes", Invariant(summary.BundleSizeBytes), Invariant(inspection.SizeBytes));
        if (inspection.ArchiveRead)
        {
            Compare("member_count", Invariant(summary.MemberCount), Invariant(inspection.MemberCount!.Value));
            Compare("member_bytes", Invariant(summary.MemberBytes), Invariant(inspection.MemberBytes!.Value));
            Compare("version_file", summary.VersionFile, inspection.VersionFileFact);
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
