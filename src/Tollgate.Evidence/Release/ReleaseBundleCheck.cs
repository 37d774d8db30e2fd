using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// Verifies a release bundle (the counterpart of the <c>verify_nonhotpath_release.py</c> step):
/// its SHA-256 against a sha256sum file, the file name recorded there, the version its name and
/// root VERSION file carry, and its archive members.
/// </summary>
public static class ReleaseBundleCheck
{
    /// <summary>
    /// Verifies <paramref name="bundlePath"/> (a .tar.gz or .tgz) against <paramref name="checksumPath"/>
    /// and <paramref name="expectVersion"/>. Facts: bundle_name, bundle_sha256, bundle_size_bytes,
    /// checksum_name, checksum_sha256, member_count, member_bytes, version_file, version, expect_version.
    /// </summary>
    public static EvidenceResult Verify(string bundlePath, string checksumPath, string expectVersion)
    {
        ArgumentNullException.ThrowIfNull(expectVersion);
        return Run(bundlePath, checksumPath, expectVersion).Result;
    }

    /// <summary>The verification, plus what the summary needs: the inspection and the version settled on.</summary>
    internal static (EvidenceResult Result, BundleInspection? Inspection, ChecksumLine? Checksum, string? Version) Run(
        string bundlePath, string checksumPath, string? expectVersion)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        ArgumentNullException.ThrowIfNull(checksumPath);
        var result = new EvidenceResultBuilder(EvidenceChecks.ReleaseBundle);

        if (expectVersion is not null)
        {
            result.Fact("expect_version", expectVersion);
            if (!ReleaseVersion.IsValid(expectVersion))
            {
                result.Fail(EvidenceReasonCodes.VersionInvalid, $"expected version '{expectVersion}' is not a version");
            }
        }

        var checksum = ChecksumFile.Read(checksumPath, result);
        if (checksum is not null)
        {
            result.Fact("checksum_name", checksum.RecordedName);
            result.Fact("checksum_sha256", checksum.Sha256);
        }

        var inspection = BundleInspector.Inspect(bundlePath, result);
        if (inspection is not null)
        {
            RecordFacts(inspection, result);
            if (checksum is not null)
            {
                CompareChecksum(inspection, checksum, result);
            }
        }

        var version = SettleVersion(inspection, expectVersion, result);
        if (version is not null)
        {
            result.Fact("version", version);
        }

        var pass = inspection is null || checksum is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture,
                $"{inspection.FileName} is release {version}: sha256 {Sha256Hex.Short(inspection.Sha256)} matches its checksum file, {inspection.MemberCount} members ({inspection.MemberBytes} bytes)");
        return (result.Build(pass), inspection, checksum, result.HasFailures ? null : version);
    }

    internal static void RecordFacts(BundleInspection inspection, EvidenceResultBuilder result)
    {
        result.Fact("bundle_name", inspection.FileName);
        result.Fact("bundle_sha256", inspection.Sha256);
        result.Fact("bundle_size_bytes", inspection.SizeBytes);
        result.Fact("version_file", inspection.VersionFileFact);
        if (inspection.ArchiveRead)
        {
            result.Fact("member_count", inspection.MemberCount!.Value);
            result.Fact("member_bytes", inspection.MemberBytes!.Value);
        }
    }

    private static void CompareChecksum(BundleInspection inspection, ChecksumLine checksum, EvidenceResultBuilder result)
    {
        if (!string.Equals(checksum.FileName, inspection.FileName, StringComparison.Ordinal))
        {
            result.Fail(EvidenceReasonCodes.ChecksumNameMismatch, $"checksum file names '{checksum.RecordedName}', the bundle is '{inspection.FileName}'");
        }

        if (!string.Equals(checksum.Sha256, inspection.Sha256, StringComparison.Ordinal))
        {
            result.Fail(EvidenceReasonCodes.ChecksumMismatch, $"checksum file declares {checksum.Sha256}, the bundle hashes to {inspection.Sha256}");
        }
    }

    /// <summary>
    /// The release's version: the expected one when given (and then the name and VERSION file must
    /// agree with it); otherwise the VERSION file's, else the one at the end of the name.
    /// </summary>
    internal static string? SettleVersion(BundleInspection? inspection, string? expectVersion, EvidenceResultBuilder result)
    {
        if (expectVersion is not null && !ReleaseVersion.IsValid(expectVersion))
        {
            return null;
        }

        var fromFile = inspection?.VersionFile == VersionFileState.Valid ? inspection.VersionFileContent : null;
        var version = expectVersion ?? fromFile ?? (inspection?.Stem is { } stem ? ReleaseVersion.FromStem(stem) : null);
        if (version is null)
        {
            if (inspection?.Stem is not null)
            {
                result.Fail(EvidenceReasonCodes.VersionUnknown, $"no version given, and neither a VERSION file nor the name {inspection.FileName} carries one");
            }

            return null;
        }

        if (inspection?.Stem is { } name && !ReleaseVersion.StemCarries(name, version))
        {
            result.Fail(EvidenceReasonCodes.VersionMismatch, $"bundle name {inspection.FileName} does not carry version {version}");
        }

        if (fromFile is not null && !string.Equals(fromFile, version, StringComparison.Ordinal))
        {
            result.Fail(EvidenceReasonCodes.VersionFileMismatch, $"the archive's VERSION file says {fromFile}, expected {version}");
        }

        return version;
    }
}
