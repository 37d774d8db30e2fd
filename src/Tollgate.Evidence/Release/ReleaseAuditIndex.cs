using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// The append-only audit index of released bundles (the counterpart of <c>release_audit_index.py</c>
/// and <c>verify_release_audit_index.py</c>): a JSONL file, one <see cref="IndexEntry"/> line per
/// release, each chained to the bytes of the line before so that editing, removing or reordering
/// earlier lines is detected and named by line number.
/// </summary>
public static class ReleaseAuditIndex
{
    // With the backoff below, about a second of waiting: ample for appends that take milliseconds,
    // short enough that a stuck lock holder is reported rather than waited on forever.
    private const int MaxAttempts = 25;

    /// <summary>Appends the summary at <paramref name="summaryPath"/>; see <see cref="Append(ReleaseAuditSummary, string)"/>.</summary>
    public static EvidenceResult Append(string summaryPath, string indexPath)
    {
        ArgumentNullException.ThrowIfNull(summaryPath);
        var result = new EvidenceResultBuilder(EvidenceChecks.ReleaseIndexAppend);
        var summary = ReleaseAuditSummary.Read(summaryPath, result);
        return summary is null ? result.Build("") : Append(summary, indexPath, result);
    }

    /// <summary>
    /// Records the summary's release as the next line of the index, creating the file if needed.
    /// Idempotent: a release already recorded (same version and bundle) passes without a new line.
    /// Refused, with the file untouched: a different bundle for a recorded version, or a recorded
    /// bundle under another version (REL-INDEX-CONFLICT); an index whose existing lines do not
    /// verify (nothing is chained onto a broken chain). Facts: appended, line_number, line_sha256
    /// (write these two to the ledger; they make an <see cref="IndexAnchor"/>), index_lines, head_sha256.
    /// </summary>
    public static EvidenceResult Append(ReleaseAuditSummary summary, string indexPath) =>
        Append(summary, indexPath, new EvidenceResultBuilder(EvidenceChecks.ReleaseIndexAppend));

    private static EvidenceResult Append(ReleaseAuditSummary summary, string indexPath, EvidenceResultBuilder result)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(indexPath);
        result.Fact("version", summary.Version);
        result.Fact("bundle_sha256", summary.BundleSha256);
        var lastError = "";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var read = IndexFile.TryRead(indexPath, out var bytes, out lastError);
            if (read == IndexAccess.Failed)
            {
                result.Fail(EvidenceReasonCodes.IndexUnreadable, lastError);
                return result.Build("");
            }

            if (read == IndexAccess.Busy)
            {
                Backoff(attempt);
                continue;
            }

            var scan = IndexScanner.Scan(bytes, result);
            if (!scan.Sound)
            {
                return result.Build("");
            }

            var entry = IndexEntry.For(summary, scan.LineCount + 1, scan.HeadSha256);
            var (same, conflicting) = Match(scan, entry);
            foreach (var (line, other) in conflicting)
            {
                result.Fail(EvidenceReasonCodes.IndexConflict, $"line {line} already records {other.Version} as {other.BundleName} ({Sha256Hex.Short(other.BundleSha256)}); refusing {entry.Version} as {entry.BundleName} ({Sha256Hex.Short(entry.BundleSha256)})");
                result.Fact("conflict_lines", Lines(conflicting));
            }

            if (result.HasFailures)
            {
                return result.Build("");
            }

            if (same.Count > 0)
            {
                var line = same[0].Line;
                RecordPosition(result, appended: false, line, scan.LineSha256[(int)line - 1], scan.LineCount, scan.HeadSha256);
                return result.Build($"{entry.Version} is already recorded on line {line}; nothing appended");
            }

            var lineBytes = entry.ToLineBytes();
            var append = IndexFile.TryAppend(indexPath, bytes.Length, [.. lineBytes, (byte)'\n'], out lastError);
            if (append == IndexAccess.Failed)
            {
                result.Fail(EvidenceReasonCodes.IndexWriteFailed, lastError);
                return result.Build("");
            }

            if (append == IndexAccess.Busy)
            {
                Backoff(attempt);
                continue;
            }

            var lineSha = Sha256Hex.Of(lineBytes);
            RecordPosition(result, appended: true, entry.Seq, lineSha, entry.Seq, lineSha);
            return result.Build($"{entry.Version} recorded on line {entry.Seq}");
        }

        result.Fail(EvidenceReasonCodes.IndexBusy, $"the index stayed locked or kept changing over {MaxAttempts} attempts: {lastError}");
        return result.Build("");
    }

    /// <summary>
    /// Verifies the index's whole chain and that the summary's release is on exactly one line of it.
    /// With an <paramref name="anchor"/> (a line_number/line_sha256 pair an earlier append reported),
    /// also that the index still holds that line unchanged, which catches lines cut off its end.
    /// Facts: index_lines, head_sha256, entry_line, and the problem lines per code.
    /// </summary>
    public static EvidenceResult Verify(string summaryPath, string indexPath, string expectVersion, IndexAnchor? anchor = null)
    {
        ArgumentNullException.ThrowIfNull(summaryPath);
        ArgumentNullException.ThrowIfNull(indexPath);
        ArgumentNullException.ThrowIfNull(expectVersion);
        if (anchor is not null && (anchor.LineNumber < 1 || !Sha256Hex.IsWellFormed(anchor.LineSha256)))
        {
            throw new ArgumentException("an anchor names a line from 1 on and a lowercase 64-hex SHA-256", nameof(anchor));
        }

        var result = new EvidenceResultBuilder(EvidenceChecks.ReleaseIndex);
        result.Fact("expect_version", expectVersion);
        var expectValid = ReleaseVersion.IsValid(expectVersion);
        if (!expectValid)
        {
            result.Fail(EvidenceReasonCodes.VersionInvalid, $"expected version '{expectVersion}' is not a version");
        }

        var summary = ReleaseAuditSummary.Read(summaryPath, result);
        if (summary is not null)
        {
            result.Fact("version", summary.Version);
            result.Fact("bundle_sha256", summary.BundleSha256);
            if (expectValid && summary.Version != expectVersion)
            {
                result.Fail(EvidenceReasonCodes.VersionMismatch, $"summary is for {summary.Version}, expected {expectVersion}");
            }
        }

        var scan = ReadForVerify(indexPath, result);
        if (scan is null)
        {
            return result.Build("");
        }

        result.Fact("index_lines", scan.LineCount);
        result.Fact("head_sha256", scan.HeadSha256);
        if (anchor is not null)
        {
            CheckAnchor(scan, anchor, result);
        }

        if (summary is not null)
        {
            CheckEntry(scan, IndexEntry.For(summary, 0, Sha256Hex.Genesis), result);
        }

        return result.Build(string.Create(CultureInfo.InvariantCulture,
            $"index chain of {scan.LineCount} lines holds; {summary?.Version} is recorded once, on line {result.FactOrEmpty("entry_line")}"));
    }

    private static IndexScan? ReadForVerify(string indexPath, EvidenceResultBuilder result)
    {
        var error = "";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            switch (IndexFile.TryRead(indexPath, out var bytes, out error))
            {
                case IndexAccess.Done:
                    return IndexScanner.Scan(bytes, result);
                case IndexAccess.Missing:
                    result.Fail(EvidenceReasonCodes.IndexMissing, error);
                    return null;
                case IndexAccess.Failed:
                    result.Fail(EvidenceReasonCodes.IndexUnreadable, error);
                    return null;
                default:
                    Backoff(attempt);
                    break;
            }
        }

        result.Fail(EvidenceReasonCodes.IndexBusy, $"the index stayed locked over {MaxAttempts} attempts: {error}");
        return null;
    }

    private static void CheckAnchor(IndexScan scan, IndexAnchor anchor, EvidenceResultBuilder result)
    {
        if (anchor.LineNumber > scan.LineCount)
        {
            result.Fail(EvidenceReasonCodes.IndexTruncated, $"the index has {scan.LineCount} complete lines; the anchor recorded line {anchor.LineNumber}");
            result.Fact("truncated_at_line", scan.LineCount + 1);
        }
        else if (scan.LineSha256[(int)anchor.LineNumber - 1] != anchor.LineSha256)
        {
            result.Fail(EvidenceReasonCodes.IndexTampered, $"line {anchor.LineNumber} is not the line the anchor recorded");
            result.Fact("anchor_mismatch_line", anchor.LineNumber);
        }
    }

    private static void CheckEntry(IndexScan scan, IndexEntry probe, EvidenceResultBuilder result)
    {
        var (same, conflicting) = Match(scan, probe);
        if (conflicting.Count > 0)
        {
            result.Fail(EvidenceReasonCodes.IndexConflict, $"line(s) {Lines(conflicting)} record a different bundle for {probe.Version}, or this bundle under another version");
            result.Fact("conflict_lines", Lines(conflicting));
        }

        switch (same.Count)
        {
            case 0 when conflicting.Count == 0:
                result.Fail(EvidenceReasonCodes.IndexMissingEntry, $"no line records {probe.Version} ({Sha256Hex.Short(probe.BundleSha256)})");
                break;
            case 1:
                result.Fact("entry_line", same[0].Line);
                break;
            case > 1:
                // The scan has already failed the index for the repeat; this names every line of it.
                if (!result.Has(EvidenceReasonCodes.IndexDuplicateEntry))
                {
                    result.Fail(EvidenceReasonCodes.IndexDuplicateEntry, $"{probe.Version} is recorded on lines {Lines(same)}");
                }

                result.Fact("duplicate_lines", Lines(same));
                break;
        }
    }

    /// <summary>Lines recording the probe's release, and lines sharing its version or bundle but not the release.</summary>
    private static (List<(long Line, IndexEntry Entry)> Same, List<(long Line, IndexEntry Entry)> Conflicting) Match(IndexScan scan, IndexEntry probe)
    {
        var related = scan.Entries.Where(e => e.Entry.Version == probe.Version || e.Entry.BundleSha256 == probe.BundleSha256).ToList();
        return (related.Where(e => e.Entry.SameReleaseAs(probe)).ToList(), related.Where(e => !e.Entry.SameReleaseAs(probe)).ToList());
    }

    private static string Lines(IEnumerable<(long Line, IndexEntry Entry)> entries) =>
        string.Join(",", entries.Select(e => e.Line.ToString(CultureInfo.InvariantCulture)));

    private static void RecordPosition(EvidenceResultBuilder result, bool appended, long line, string lineSha, long lineCount, string headSha)
    {
        result.Fact("appended", appended ? "true" : "false");
        result.Fact("line_number", line);
        result.Fact("line_sha256", lineSha);
        result.Fact("index_lines", lineCount);
        result.Fact("head_sha256", headSha);
    }

    // Jitter keeps contending appenders from retrying in lockstep.
    private static void Backoff(int attempt) => Thread.Sleep(Math.Min(5 * attempt, 50) + Random.Shared.Next(5));
}
