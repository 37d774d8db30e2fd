using System.Security.Cryptography;

namespace Tollgate.Ledger.Bundles;

/// <summary>The character rules shared by request validation and manifest parsing, so a manifest a writer seals always parses.</summary>
internal static class BundleRules
{
    /// <summary>
    /// Member names become file names in an export (members/&lt;role&gt;/&lt;name&gt;), so: a portable file-name
    /// alphabet, and never "." or "..", which would climb out of the folder.
    /// </summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > BundleLimits.MaxNameLength)
            return $"a member name must be 1-{BundleLimits.MaxNameLength} characters";
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            return $"member name '{Printable(name)}' may hold only A-Z, a-z, 0-9, '.', '_' and '-'";
        if (name is "." or "..")
            return $"member name '{name}' would name a folder, not a file";
        return null;
    }

    /// <summary>Ids (event refs) follow the ledger's id rule, so an event ref can go into an entry's refs unchanged.</summary>
    public static bool IsId(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= BundleLimits.MaxIdLength && text.All(c => c is >= '!' and <= '~');

    /// <summary>Free text such as created_by follows the ledger's actor rule.</summary>
    public static bool IsText(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= BundleLimits.MaxIdLength && !text.Any(char.IsControl);

    /// <summary>A media type "type/subtype" with optional parameters: printable ASCII, so it is safe in headers and logs.</summary>
    public static bool IsMediaType(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= BundleLimits.MaxMediaTypeLength && text.All(c => c is >= ' ' and <= '~')
        && text.IndexOf('/') is > 0 && text[0] != ' ';

    public static bool IsSha256Hex(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Role, then name, both ordinal: the one order of the manifest's members.</summary>
    public static int CompareMembers(BundleMember a, BundleMember b)
    {
        var byRole = string.CompareOrdinal(a.Role, b.Role);
        return byRole != 0 ? byRole : string.CompareOrdinal(a.Name, b.Name);
    }

    /// <summary>Keeps refused input out of messages as raw control characters.</summary>
    public static string Printable(string text) =>
        new([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
