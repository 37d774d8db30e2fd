using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Security;

/// <summary>Tokens that are wrong in the ways the matrix's variants are not: unsigned, tampered, odd subjects and role names, odd lifetimes.</summary>
public sealed class TokenRefusalTests : IAsyncLifetime
{
    private const string WhoAmI = "/api/auth/whoami";

    /// <summary>Only an Operator may release a kill switch, so a role name that is almost "Operator" must not pass.</summary>
    private const string OperatorOnly = "/api/kill-switch/Research/release";

    private readonly HostFactory host = new();

    public async Task InitializeAsync() => await LedgerApiTests.WaitForLedgerAsync(host.As("reader", Role.Auditor));

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task An_unsigned_token_is_refused_as_a_bad_signature()
    {
        var answer = await Call.SendAsync(host.Http(TokenMint.Unsigned("mallory")), "GET", WhoAmI);
        Assert.True(answer is { Status: 401, Reason: "AUTH_BAD_SIGNATURE" }, answer.ToString());
    }

    [Fact]
    public async Task A_token_whose_roles_were_edited_after_signing_is_refused_as_a_bad_signature()
    {
        var auditorToken = host.Tokens.For("mallory", Role.Auditor);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var elevated = TokenMint.WithPayload(auditorToken,
            $$"""{"sub":"mallory","roles":["Operator","Admin"],"iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Audience}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 3600}}}""");
        var answer = await Call.SendAsync(host.Http(elevated), "POST", OperatorOnly);
        Assert.True(answer is { Status: 401, Reason: "AUTH_BAD_SIGNATURE" }, answer.ToString());
    }

    public static TheoryData<string> BadSubjects => ["", " ", "two words", "tab\there", "nul\u0000here", new string('s', 257)];

    [Theory]
    [MemberData(nameof(BadSubjects))]
    public async Task A_signed_token_without_a_usable_subject_is_refused_as_invalid(string subject)
    {
        var answer = await Call.SendAsync(host.Http(host.Tokens.For(subject, Role.Operator)), "GET", WhoAmI);
        Assert.True(answer is { Status: 401, Reason: "AUTH_TOKEN_INVALID" }, answer.ToString());
    }

    [Fact]
    public async Task A_signed_token_with_no_subject_claim_is_refused_as_invalid()
    {
        var token = TokenMint.Signed(host.Tokens, new Dictionary<string, object> { ["roles"] = new[] { "Operator" } }, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1));
        var answer = await Call.SendAsync(host.Http(token), "GET", WhoAmI);
        Assert.True(answer is { Status: 401, Reason: "AUTH_TOKEN_INVALID" }, answer.ToString());
    }

    [Fact]
    public async Task A_token_that_is_not_valid_yet_is_refused_as_expired()
    {
        var token = TokenMint.Signed(host.Tokens, new Dictionary<string, object> { ["sub"] = "early", ["roles"] = new[] { "Operator" } },
            DateTime.UtcNow.AddHours(1), DateTime.UtcNow.AddHours(2));
        var answer = await Call.SendAsync(host.Http(token), "GET", WhoAmI);
        Assert.True(answer is { Status: 401, Reason: "AUTH_TOKEN_EXPIRED" }, answer.ToString());
    }

    [Fact]
    public async Task A_token_that_never_expires_is_refused()
    {
        var token = TokenMint.Signed(host.Tokens, new Dictionary<string, object> { ["sub"] = "forever", ["roles"] = new[] { "Operator" } }, null, null);
        var answer = await Call.SendAsync(host.Http(token), "GET", WhoAmI);
        Assert.True(answer is { Status: 401, Reason: "AUTH_TOKEN_EXPIRED" }, answer.ToString());
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_not_read()
    {
        var token = host.Tokens.For("query-caller", Role.Operator);
        var answer = await Call.SendAsync(host.Anonymous(), "GET", $"{WhoAmI}?access_token={token}");
        Assert.True(answer is { Status: 401, Reason: "AUTH_TOKEN_MISSING" }, answer.ToString());
    }

    public static TheoryData<string> LookAlikeRoles => ["operator", "OPERATOR", "Operator ", " Operator", "0", "Tollgate.operator", "Tollgate.Tollgate.Operator",
        "Tollgate:Operator", "Оperator" /* Cyrillic O */, "Operator\u200b"];

    [Theory]
    [MemberData(nameof(LookAlikeRoles))]
    public async Task A_role_name_that_only_looks_like_Operator_grants_nothing(string role)
    {
        var token = TokenMint.Signed(host.Tokens, new Dictionary<string, object> { ["sub"] = "look-alike", ["roles"] = new[] { role } },
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1));
        var answer = await Call.SendAsync(host.Http(token), "POST", OperatorOnly);
        Assert.True(answer is { Status: 403, Reason: "AUTH_ROLE_DENIED" }, answer.ToString());
    }

    [Theory]
    [InlineData("Operator")]
    [InlineData("Tollgate.Operator")]
    public async Task The_Operator_role_by_either_of_its_names_passes_the_guard(string role)
    {
        var token = TokenMint.Signed(host.Tokens, new Dictionary<string, object> { ["sub"] = "named-operator", ["roles"] = role },
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1));
        var answer = await Call.SendAsync(host.Http(token), "POST", OperatorOnly);
        Assert.True(answer is { Status: 400, Reason: "GOV_INVALID_REQUEST" }, answer.ToString()); // past the guard: the empty body lacks a reason
    }
}
