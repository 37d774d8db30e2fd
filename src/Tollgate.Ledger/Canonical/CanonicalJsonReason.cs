namespace Tollgate.Ledger.Canonical;

/// <summary>The stable reason codes of <see cref="CanonicalJsonException"/>.</summary>
public static class CanonicalJsonReason
{
    /// <summary>Not JSON under RFC 8259 as read strictly: syntax errors, comments, trailing commas, a byte order mark, trailing data.</summary>
    public const string Invalid = "JSON_INVALID";

    /// <summary>An object names the same member twice (compared after unescaping).</summary>
    public const string DuplicateKey = "JSON_DUPLICATE_KEY";

    /// <summary>A number overflows IEEE 754 double precision, or an in-memory number is NaN or infinite.</summary>
    public const string NumberOutOfRange = "JSON_NUMBER_OUT_OF_RANGE";

    /// <summary>The bytes are not UTF-8, or a string holds a lone surrogate.</summary>
    public const string InvalidUnicode = "JSON_INVALID_UNICODE";

    /// <summary>Objects and arrays are nested more than 64 deep.</summary>
    public const string TooDeep = "JSON_TOO_DEEP";
}
