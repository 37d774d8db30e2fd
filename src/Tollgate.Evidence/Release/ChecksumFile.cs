using System.Text.RegularExpressions;

namespace Tollgate.Evidence;

/// <summary>Reads a sha256sum-format checksum file holding exactly one line.</summary>
internal static partial class ChecksumFile
{
    // A real checksum file is ~100 bytes; anything much larger is not one, and is not read whole.
    private const long MaxBytes = 4096;

    // Text mode ("  ") or binary mode (" *"). A leading backslash (sha256sum's escape for odd
    // names) fails the hex match, so escaped names are refused rather than mis-read.
    [GeneratedRegex("^([0-9A-Fa-f]{64}) [ *](.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();

    public static ChecksumLine? Read(string path, EvidenceResultBuilder result)
    {
        switch (FileText.TryReadBytes(path, MaxBytes, out var bytes, out var error))
        {
            case FileReadFailure.Missing:
                result.Fail(EvidenceReasonCodes.ChecksumMissing, error);
                return null;
            case FileReadFailure.Unreadable:
                result.Fail(EvidenceReasonCodes.ChecksumUnreadable, error);
                return null;
        }

        if (!FileText.TryDecode(bytes, out var text))
        {
            result.Fail(EvidenceReasonCodes.ChecksumFormat, "checksum file is not UTF-8");
            return null;
        }

        var lines = text.Split('\n');
        var content = lines.Length == 2 && lines[1].Length == 0 ? lines[0] : lines.Length == 1 ? lines[0] : null;
        if (content is null)
        {
            result.Fail(EvidenceReasonCodes.ChecksumFormat, "checksum file must hold exactly one line");
            return null;
        }

        var match = LinePattern().Match(content.TrimEnd('\r'));
        if (!match.Success || match.Groups[2].Value.Contains('\\'))
        {
            result.Fail(EvidenceReasonCodes.ChecksumFormat, "checksum line is not '<64 hex>  <name>' or '<64 hex> *<name>'");
            return null;
        }

        var name = match.Groups[2].Value;
        if (name.EndsWith('/'))
        {
            result.Fail(EvidenceReasonCodes.ChecksumFormat, "checksum line names a directory, not a file");
            return null;
        }

        return new ChecksumLine(match.Groups[1].Value.ToLowerInvariant(), name);
    }
}
