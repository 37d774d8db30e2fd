using System.Security.Cryptography;

namespace Tollgate.Evidence;

/// <summary>SHA-256 as the lowercase hex every file and line in this library records.</summary>
internal static class Sha256Hex
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsWellFormed(string? value) =>
        value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>First 12 hex digits: enough to tell two hashes apart in a sentence.</summary>
    public static string Short(string hex) => hex.Length > 12 ? hex[..12] + "…" : hex;
}
