using System.Text.RegularExpressions;

namespace Tollgate.Evidence;

/// <summary>
/// Release version strings (<c>v0.2.0</c>, <c>v0.2.0-rc.1</c>, <c>2026.02.11</c>) and how a bundle's
/// file name carries one. The charset is deliberately narrow: versions end up in file names,
/// Markdown and ledger facts, and a narrow charset keeps all three unambiguous.
/// </summary>
internal static partial class ReleaseVersion
{
    private static readonly string[] ArchiveExtensions = [".tar.gz", ".tgz"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidPattern();

    // A version at the end of the stem: "tollgate-release-v0.2.0" or "...-v0.2.0-rc.1".
    [GeneratedRegex(@"(?:^|[-_])(v?[0-9]+(?:\.[0-9]+)+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingVersionPattern();

    public static bool IsValid(string? version) => version is not null && ValidPattern().IsMatch(version);

    /// <summary>The file name without its .tar.gz/.tgz extension, or null for any other extension.</summary>
    public static string? ArchiveStem(string fileName)
    {
        foreach (var extension in ArchiveExtensions)
        {
            if (fileName.EndsWith(extension, StringComparison.Ordinal) && fileName.Length > extension.Length)
            {
                return fileName[..^extension.Length];
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="version"/> is a whole token of the stem: preceded by the start,
    /// '-' or '_', followed by the end, '-', '_' or '+'. So v0.2.0 is not found in v0.2.0.1 or v10.2.0.
    /// </summary>
    public static bool StemCarries(string stem, string version)
    {
        for (var at = stem.IndexOf(version, StringComparison.Ordinal); at >= 0; at = stem.IndexOf(version, at + 1, StringComparison.Ordinal))
        {
            var end = at + version.Length;
            var startsToken = at == 0 || stem[at - 1] is '-' or '_';
            var endsToken = end == stem.Length || stem[end] is '-' or '_' or '+';
            if (startsToken && endsToken)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The version at the end of the stem, or null when the name does not end in one.</summary>
    public static string? FromStem(string stem)
    {
        var match = TrailingVersionPattern().Match(stem);
        return match.Success ? match.Groups[1].Value : null;
    }
}
