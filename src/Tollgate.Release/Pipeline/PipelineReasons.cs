namespace Tollgate.Release.Pipeline;

/// <summary>
/// Every reason code the Test, Package and Sign/Hash stages return, with its meaning: the one table the
/// deploy event's <c>reason_codes</c> (seed 000 §6.2) and operators rely on. Codes are stable; a new failure
/// mode gets a new code rather than a new meaning for an old one.
/// </summary>
public static class PipelineReasons
{
    /// <summary>The test report is too large, not XML, neither JUnit XML nor TRX, or carries a DTD.</summary>
    public const string TestReportInvalid = "PIPE-TEST-REPORT-INVALID";

    /// <summary>At least one test failed or errored (by its test case, or by the report's own counters).</summary>
    public const string TestFailed = "PIPE-TEST-FAILED";

    /// <summary>A required gate test pattern matched no test that ran.</summary>
    public const string TestGatesMissing = "PIPE-TEST-GATES-MISSING";

    /// <summary>The report holds no test that ran.</summary>
    public const string TestEmpty = "PIPE-TEST-EMPTY";

    /// <summary>Fewer tests ran than the policy's minimum.</summary>
    public const string TestTooFew = "PIPE-TEST-TOO-FEW";

    /// <summary>The release version, a member name or a member's content breaks a package rule.</summary>
    public const string PackageInvalid = "PIPE-PACKAGE-INVALID";

    /// <summary>A member's content does not hash to the SHA-256 an earlier stage recorded for it.</summary>
    public const string PackageHashMismatch = "PIPE-PACKAGE-HASH-MISMATCH";

    /// <summary>The secret store has no release signing key under the configured name.</summary>
    public const string SignKeyMissing = "PIPE-SIGN-KEY-MISSING";

    /// <summary>The release signing key (or the public key given to verify with) is not an ECDSA P-256 key in the expected form.</summary>
    public const string SignKeyInvalid = "PIPE-SIGN-KEY-INVALID";

    /// <summary>The signature is malformed, by another key, for another manifest, or does not verify.</summary>
    public const string SignInvalid = "PIPE-SIGN-INVALID";

    private static readonly (string Code, string Meaning)[] Table =
    [
        (TestReportInvalid, "The CI test report is larger than the limit, not well-formed XML, neither JUnit XML nor .NET TRX, or carries a DTD (refused so no entity is ever expanded or fetched)."),
        (TestFailed, "At least one test failed or errored, by its own result or by the report's counters."),
        (TestGatesMissing, "A required gate test (a name pattern of the policy) matched no test that ran; a skipped test does not count."),
        (TestEmpty, "The report holds no test that ran."),
        (TestTooFew, "Fewer tests ran than the policy's minimum test count."),
        (PackageInvalid, "The release version, a member name (empty, absolute, '..', reserved, duplicate, too long, odd characters) or a member's size breaks a package rule."),
        (PackageHashMismatch, "A member's content does not hash to the SHA-256 recorded for it by an earlier stage."),
        (SignKeyMissing, "The secret store has no release signing key under the configured secret name."),
        (SignKeyInvalid, "The release signing key is not a PKCS#8 ECDSA P-256 private key, or the public key is not a verifier key of one."),
        (SignInvalid, "The release signature is malformed or truncated, by another key, for another manifest, or does not verify."),
    ];

    /// <summary>Code to meaning, for every code above.</summary>
    public static IReadOnlyDictionary<string, string> Meanings { get; } =
        Table.ToDictionary(row => row.Code, row => row.Meaning, StringComparer.Ordinal);
}
