using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tollgate.Evidence;

/// <summary>
/// The audit record of one verified release bundle (the counterpart of <c>release_audit_summary.py</c>),
/// written as canonical JSON (<see cref="ToJson"/>) and as a Markdown report (<see cref="ToMarkdown"/>).
/// Only a bundle that passed <see cref="ReleaseBundleCheck"/> gets a summary; a failed one is
/// recorded by its failed <see cref="EvidenceResult"/> instead.
/// </summary>
/// <param name="Version">The release version.</param>
/// <param name="BundleName">The bundle's file name.</param>
/// <param name="BundleSha256">Lowercase hex SHA-256 of the bundle.</param>
/// <param name="BundleSizeBytes">The bundle's size.</param>
/// <param name="ChecksumName">The name the sha256sum file recorded (possibly with a directory).</param>
/// <param name="MemberCount">Archive entries of every type.</param>
/// <param name="MemberBytes">Total size of the archive's regular files.</param>
/// <param name="VersionFile">The root VERSION file's content, or "absent".</param>
/// <param name="GeneratedAtUtc">When the summary was made; passed in by the caller, never read from a clock here.</param>
public sealed record ReleaseAuditSummary(
    string Version,
    string BundleName,
    string BundleSha256,
    long BundleSizeBytes,
    string ChecksumName,
    long MemberCount,
    long MemberBytes,
    string VersionFile,
    DateTimeOffset GeneratedAtUtc)
{
    /// <summary>The schema tag every summary carries first; a reader refuses any other.</summary>
    public const string Schema = "tollgate.release_audit_summary.v1";

    // The canonical field order of the JSON form.
    internal static readonly string[] FieldOrder =
    [
        "schema", "version", "bundle_name", "bundle_sha256", "bundle_size_bytes", "checksum_name",
        "member_count", "member_bytes", "version_file", "generated_at_utc",
    ];

    private const long MaxSummaryBytes = 64 * 1024;

    /// <summary>
    /// Verifies the bundle and, when it passes, summarises it. <paramref name="expectVersion"/> may be
    /// null: the version then comes from the archive's VERSION file, else from the end of the name.
    /// </summary>
    public static SummaryCreation Create(string bundlePath, string checksumPath, string? expectVersion, DateTimeOffset generatedAt)
    {
        var (result, inspection, checksum, version) = ReleaseBundleCheck.Run(bundlePath, checksumPath, expectVersion);
        if (!result.Passed || inspection is null || checksum is null || version is null)
        {
            return new SummaryCreation(result, null);
        }

        var summary = new ReleaseAuditSummary(
            version,
            inspection.FileName,
            inspection.Sha256,
            inspection.SizeBytes,
            checksum.RecordedName,
            inspection.MemberCount!.Value,
            inspection.MemberBytes!.Value,
            inspection.VersionFileFact,
            generatedAt.ToUniversalTime());
        return new SummaryCreation(result, summary);
    }

    /// <summary>
    /// Verifies a summary file (the counterpart of <c>verify_release_audit_summary.py</c>): its form,
    /// its version against <paramref name="expectVersion"/>, its values against each other and, when
    /// <paramref name="bundlePath"/> is given, against the bundle recomputed now.
    /// </summary>
    public static EvidenceResult Verify(string summaryPath, string? bundlePath, string expectVersion) =>
        SummaryVerifier.Verify(summaryPath, bundlePath, expectVersion);

    /// <summary>Reads a summary written by <see cref="ToJson"/> (whitespace aside); null with the reason otherwise.</summary>
    public static ReleaseAuditSummary? Parse(string json, out string error)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!CanonicalJson.TryReadObject(json, FieldOrder, out var fields, out error))
        {
            return null;
        }

        if (!CanonicalJson.TryString(fields, "schema", out var schema) || schema != Schema)
        {
            error = $"schema is not {Schema}";
            return null;
        }

        var ok = CanonicalJson.TryString(fields, "version", out var version) & ReleaseVersion.IsValid(version)
            & CanonicalJson.TryString(fields, "bundle_name", out var bundleName) & bundleName.Length > 0
            & CanonicalJson.TryString(fields, "bundle_sha256", out var sha) & Sha256Hex.IsWellFormed(sha)
            & CanonicalJson.TryNonNegative(fields, "bundle_size_bytes", out var size)
            & CanonicalJson.TryString(fields, "checksum_name", out var checksumName) & checksumName.Length > 0
            & CanonicalJson.TryNonNegative(fields, "member_count", out var members)
            & CanonicalJson.TryNonNegative(fields, "member_bytes", out var memberBytes)
            & CanonicalJson.TryString(fields, "version_file", out var versionFile) & versionFile.Length > 0
            & CanonicalJson.TryString(fields, "generated_at_utc", out var generatedText) & UtcTimestamp.TryParse(generatedText, out var generatedAt);
        if (!ok)
        {
            error = "a field has the wrong type or an invalid value (version, lowercase 64-hex sha256, non-negative integers, UTC timestamp)";
            return null;
        }

        error = "";
        return new ReleaseAuditSummary(version, bundleName, sha, size, checksumName, members, memberBytes, versionFile, generatedAt);
    }

    /// <summary>Reads a summary file; records missing/unreadable/malformed in <paramref name="result"/>.</summary>
    internal static ReleaseAuditSummary? Read(string summaryPath, EvidenceResultBuilder result)
    {
        switch (FileText.TryReadBytes(summaryPath, MaxSummaryBytes, out var bytes, out var error))
        {
            case FileReadFailure.Missing:
                result.Fail(EvidenceReasonCodes.SummaryMissing, error);
                return null;
            case FileReadFailure.Unreadable:
                result.Fail(EvidenceReasonCodes.SummaryUnreadable, error);
                return null;
        }

        if (!FileText.TryDecode(bytes, out var text))
        {
            result.Fail(EvidenceReasonCodes.SummaryMalformed, "summary is not UTF-8");
            return null;
        }

        var summary = Parse(text, out var parseError);
        if (summary is null)
        {
            result.Fail(EvidenceReasonCodes.SummaryMalformed, parseError);
        }

        return summary;
    }

    /// <summary>The canonical JSON form: fixed field order, two-space indent, LF, trailing newline.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", Schema);
            writer.WriteString("version", Version);
            writer.WriteString("bundle_name", BundleName);
            writer.WriteString("bundle_sha256", BundleSha256);
            writer.WriteNumber("bundle_size_bytes", BundleSizeBytes);
            writer.WriteString("checksum_name", ChecksumName);
            writer.WriteNumber("member_count", MemberCount);
            writer.WriteNumber("member_bytes", MemberBytes);
            writer.WriteString("version_file", VersionFile);
            writer.WriteString("generated_at_utc", UtcTimestamp.Format(GeneratedAtUtc));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The human report: a heading and one table of the summary's values.</summary>
    public string ToMarkdown()
    {
        var rows = new (string Field, string Value)[]
        {
            ("Version", Version),
            ("Bundle", BundleName),
            ("SHA-256", BundleSha256),
            ("Size (bytes)", BundleSizeBytes.ToString(CultureInfo.InvariantCulture)),
            ("Checksum file records", ChecksumName),
            ("Archive members", MemberCount.ToString(CultureInfo.InvariantCulture)),
            ("Member bytes", MemberBytes.ToString(CultureInfo.InvariantCulture)),
            ("VERSION file", VersionFile),
            ("Generated at (UTC)", UtcTimestamp.Format(GeneratedAtUtc)),
            ("Schema", Schema),
        };

        var text = new StringBuilder();
        text.Append("# Release audit summary: ").Append(MarkdownText.Escape(Version)).Append("\n\n");
        text.Append("Bundle verified: SHA-256 matches its checksum file; name, VERSION file and version agree.\n\n");
        text.Append("| Field | Value |\n|---|---|\n");
        foreach (var (field, value) in rows)
        {
            text.Append("| ").Append(field).Append(" | ").Append(MarkdownText.Escape(value)).Append(" |\n");
        }

        return text.ToString();
    }
}
