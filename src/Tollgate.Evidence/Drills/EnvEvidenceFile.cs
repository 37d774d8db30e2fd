using System.Text.RegularExpressions;

namespace Tollgate.Evidence;

/// <summary>
/// Reads drill evidence in .env style: <c>KEY=VALUE</c> lines, <c>#</c> comments, blank lines, an
/// optional <c>export </c> prefix, values optionally in matching single or double quotes (taken
/// literally, no escapes), and an unquoted value ending at <c> #</c>. A key given twice is refused:
/// with two values, which one the drill meant is anyone's guess.
/// </summary>
internal static partial class EnvEvidenceFile
{
    private const long MaxBytes = 64 * 1024;

    [GeneratedRegex(@"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex AssignmentPattern();

    public static Dictionary<string, string>? Read(string path, DrillCodes codes, EvidenceResultBuilder result)
    {
        switch (FileText.TryReadBytes(path, MaxBytes, out var bytes, out var error))
        {
            case FileReadFailure.Missing:
                result.Fail(codes.FileMissing, error);
                return null;
            case FileReadFailure.Unreadable:
                result.Fail(codes.Unreadable, error);
                return null;
        }

        if (!FileText.TryDecode(bytes, out var text))
        {
            result.Fail(codes.Malformed, "evidence file is not UTF-8");
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        var malformed = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = AssignmentPattern().Match(line);
            if (!match.Success || UnquotedValue(match.Groups[2].Value) is not { } value)
            {
                malformed.Add(i + 1);
                result.Fail(codes.Malformed, $"line {i + 1} is not KEY=VALUE");
                continue;
            }

            if (!values.TryAdd(match.Groups[1].Value, value))
            {
                malformed.Add(i + 1);
                result.Fail(codes.Malformed, $"line {i + 1} sets {match.Groups[1].Value} a second time");
            }
        }

        if (malformed.Count > 0)
        {
            result.Fact("malformed_lines", string.Join(",", malformed));
            return null;
        }

        return values;
    }

    /// <summary>The value without quotes or trailing comment; null when a quote is not closed.</summary>
    private static string? UnquotedValue(string raw)
    {
        if (raw.Length > 0 && raw[0] is '"' or '\'')
        {
            var close = raw.IndexOf(raw[0], 1);
            if (close < 0)
            {
                return null;
            }

            var rest = raw[(close + 1)..].Trim();
            return rest.Length == 0 || rest[0] == '#' ? raw[1..close] : null;
        }

        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        var tabComment = raw.IndexOf("\t#", StringComparison.Ordinal);
        var cut = comment < 0 ? tabComment : tabComment < 0 ? comment : Math.Min(comment, tabComment);
        return (cut < 0 ? raw : raw[..cut]).Trim();
    }
}
