using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// Checks an audit index's bytes: every line an entry, in canonical form, sealed by its own hash,
/// numbered by its position and chained to the bytes of the line before; the file ending on a
/// newline; no release on two lines. Problems are recorded with the line numbers they were seen on.
/// </summary>
internal static class IndexScanner
{
    private const int DetailsPerCode = 3;

    public static IndexScan Scan(byte[] bytes, EvidenceResultBuilder result)
    {
        var problems = new Problems();
        var entries = new List<(long, IndexEntry)>();
        var lineShas = new List<string>();
        var start = 0;
        var previousSha = Sha256Hex.Genesis;
        while (start < bytes.Length)
        {
            var lineNumber = lineShas.Count + 1L;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            if (newline < 0)
            {
                // A writer died mid-line, or the file was cut: the bytes after the last newline are
                // not a line anyone finished writing.
                problems.Add(EvidenceReasonCodes.IndexTruncated, lineNumber, $"line {lineNumber} ends without a newline (cut mid-line)");
                break;
            }

            var line = bytes.AsSpan(start, newline - start);
            var lineSha = Sha256Hex.Of(line);
            var entry = CheckLine(line, lineNumber, previousSha, problems);
            if (entry is not null)
            {
                entries.Add((lineNumber, entry));
            }

            lineShas.Add(lineSha);
            previousSha = lineSha;
            start = newline + 1;
        }

        CheckOneLinePerRelease(entries, problems);
        problems.Report(result);
        return new IndexScan(entries, lineShas, problems.None);
    }

    private static IndexEntry? CheckLine(ReadOnlySpan<byte> line, long lineNumber, string previousSha, Problems problems)
    {
        if (!FileText.TryDecode(line.ToArray(), out var text))
        {
            problems.Add(EvidenceReasonCodes.IndexMalformed, lineNumber, $"line {lineNumber} is not UTF-8");
            return null;
        }

        var entry = IndexEntry.Parse(text, out var error);
        if (entry is null)
        {
            problems.Add(EvidenceReasonCodes.IndexMalformed, lineNumber, $"line {lineNumber}: {error}");
            return null;
        }

        if (entry.Seq != lineNumber)
        {
            problems.Add(EvidenceReasonCodes.IndexTampered, lineNumber, $"line {lineNumber} carries seq {entry.Seq} (lines removed or moved)");
        }
        else if (!string.Equals(entry.PrevSha256, previousSha, StringComparison.Ordinal))
        {
            problems.Add(EvidenceReasonCodes.IndexTampered, lineNumber, lineNumber == 1
                ? "line 1 does not start the chain (lines before it removed)"
                : $"line {lineNumber}'s prev_sha256 does not match line {lineNumber - 1} (line {lineNumber - 1} edited, or lines removed or moved)");
        }
        else if (!string.Equals(entry.EntrySha256, entry.ComputeEntrySha256(), StringComparison.Ordinal))
        {
            problems.Add(EvidenceReasonCodes.IndexTampered, lineNumber, $"line {lineNumber} was edited: its entry_sha256 does not match its content");
        }
        else if (!line.SequenceEqual(entry.ToLineBytes()))
        {
            problems.Add(EvidenceReasonCodes.IndexTampered, lineNumber, $"line {lineNumber} was edited: it is not in the canonical form it was written in");
        }

        return entry;
    }

    private static void CheckOneLinePerRelease(List<(long Line, IndexEntry Entry)> entries, Problems problems)
    {
        var byVersion = new Dictionary<string, (long Line, IndexEntry Entry)>(StringComparer.Ordinal);
        var bySha = new Dictionary<string, (long Line, IndexEntry Entry)>(StringComparer.Ordinal);
        foreach (var (line, entry) in entries)
        {
            var earlier = byVersion.TryGetValue(entry.Version, out var sameVersion) ? sameVersion
                : bySha.TryGetValue(entry.BundleSha256, out var sameBundle) ? sameBundle
                : ((long, IndexEntry)?)null;
            if (earlier is var (earlierLine, earlierEntry))
            {
                if (entry.SameReleaseAs(earlierEntry))
                {
                    problems.Add(EvidenceReasonCodes.IndexDuplicateEntry, line, $"line {line} repeats the release on line {earlierLine} ({entry.Version})");
                }
                else
                {
                    problems.Add(EvidenceReasonCodes.IndexConflict, line, $"line {line} ({entry.Version}, {Sha256Hex.Short(entry.BundleSha256)}) conflicts with line {earlierLine} ({earlierEntry.Version}, {Sha256Hex.Short(earlierEntry.BundleSha256)})");
                }
            }

            byVersion.TryAdd(entry.Version, (line, entry));
            bySha.TryAdd(entry.BundleSha256, (line, entry));
        }
    }

    /// <summary>Problems grouped by code, so a long index yields one failure per code, not per line.</summary>
    private sealed class Problems
    {
        private readonly Dictionary<string, (List<long> Lines, List<string> Details)> _byCode = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public bool None => _order.Count == 0;

        public void Add(string code, long line, string detail)
        {
            if (!_byCode.TryGetValue(code, out var group))
            {
                group = ([], []);
                _byCode[code] = group;
                _order.Add(code);
            }

            if (!group.Lines.Contains(line))
            {
                group.Lines.Add(line);
            }

            group.Details.Add(detail);
        }

        public void Report(EvidenceResultBuilder result)
        {
            foreach (var code in _order)
            {
                var (lines, details) = _byCode[code];
                var more = details.Count > DetailsPerCode ? $" (and {details.Count - DetailsPerCode} more)" : "";
                result.Fail(code, string.Join("; ", details.Take(DetailsPerCode)) + more);
                result.Fact(FactKey(code), string.Join(",", lines.Select(l => l.ToString(CultureInfo.InvariantCulture))));
            }
        }

        private static string FactKey(string code) => code switch
        {
            EvidenceReasonCodes.IndexTampered => "tampered_lines",
            EvidenceReasonCodes.IndexMalformed => "malformed_lines",
            EvidenceReasonCodes.IndexTruncated => "truncated_at_line",
            EvidenceReasonCodes.IndexConflict => "conflict_lines",
            EvidenceReasonCodes.IndexDuplicateEntry => "duplicate_lines",
            _ => "problem_lines",
        };
    }
}
