namespace Tollgate.Evidence.Tests;

/// <summary>Assertions on results that print the whole result when they fail.</summary>
public static class Expect
{
    public static void Passed(EvidenceResult result)
    {
        Assert.True(result.Passed, $"expected a pass, got [{string.Join(", ", result.ReasonCodes)}]: {result.Summary}");
        Assert.Empty(result.ReasonCodes);
    }

    public static void Failed(EvidenceResult result, params string[] codes)
    {
        Assert.False(result.Passed, $"expected a failure with [{string.Join(", ", codes)}], got a pass: {result.Summary}");
        foreach (var code in codes)
        {
            Assert.True(result.Has(code), $"expected {code} among [{string.Join(", ", result.ReasonCodes)}]: {result.Summary}");
        }
    }

    /// <summary>Failed with exactly these codes (order aside).</summary>
    public static void FailedOnly(EvidenceResult result, params string[] codes)
    {
        Failed(result, codes);
        Assert.Equal(codes.Order(StringComparer.Ordinal), result.ReasonCodes.Order(StringComparer.Ordinal));
    }
}
