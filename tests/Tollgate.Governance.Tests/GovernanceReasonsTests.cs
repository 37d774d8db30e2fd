using System.Reflection;

namespace Tollgate.Governance.Tests;

public sealed class GovernanceReasonsTests
{
    private static readonly string[] Codes =
    [
        .. typeof(GovernanceReasons).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!),
    ];

    public static TheoryData<string> All => [.. Codes];

    [Theory]
    [MemberData(nameof(All))]
    public void Every_reason_code_has_a_description(string code) =>
        Assert.True(GovernanceReasons.Descriptions.TryGetValue(code, out var description) && description.Length > 0, $"{code} has no description");

    [Theory]
    [MemberData(nameof(All))]
    public void Every_reason_code_has_the_shared_reason_code_syntax(string code) => Assert.True(ReasonCode.IsValid(code), code);

    [Fact]
    public void Every_description_belongs_to_a_declared_code_and_no_code_is_declared_twice()
    {
        Assert.Equal(Codes.Length, Codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Codes.Order(StringComparer.Ordinal), GovernanceReasons.Descriptions.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Codes_coined_by_governance_use_an_area_prefix_and_seed_codes_keep_their_spelling()
    {
        string[] prefixes = ["AUTH_", "ENV_", "GOV_", "VMAP_", "APPROVAL_", "GATE_", "KILL_", "SPLIT_"];
        string[] seedCodes = ["EXE-KILL-01", "SYS-VERIFY", "EXE-RECON-FAIL", "SYS-AUDIT", "SYS-PROV"];
        Assert.All(Codes, code => Assert.True(prefixes.Any(prefix => code.StartsWith(prefix, StringComparison.Ordinal)) || seedCodes.Contains(code), code));
    }

    [Theory]
    [InlineData("EXE-KILL-01")]
    [InlineData("RISK_LIMIT")]
    [InlineData("UI.TRACE")]
    [InlineData("A1")]
    public void Reason_code_syntax_accepts_the_documented_shapes(string code) => Assert.True(ReasonCode.IsValid(code));

    [Theory]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("risk_limit")]
    [InlineData("1RISK")]
    [InlineData("RISK LIMIT")]
    [InlineData("RISK\n")]
    [InlineData("_RISK")]
    public void Reason_code_syntax_refuses_anything_else(string code) => Assert.False(ReasonCode.IsValid(code));

    [Fact]
    public void Reason_codes_are_at_most_64_characters() =>
        Assert.Equal((true, false), (ReasonCode.IsValid("R" + new string('X', 63)), ReasonCode.IsValid("R" + new string('X', 64))));
}
