using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Identity;

/// <summary>
/// Entra ID mode against a real OpenID Connect issuer on loopback: discovery document and JWKS served over HTTP, tokens
/// signed RS256 with its key and a key id, exactly the path the host takes in Azure (authority metadata, key rollover).
/// </summary>
public sealed class EntraIdTokenTests : IAsyncLifetime
{
    private const string Audience = "api://tollgate-test";
    private const string KeyId = "test-key-1";
    private readonly RSA issuerKey = RSA.Create(2048);
    private WebApplication issuer = null!;
    private string authority = null!;
    private HostFactory host = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        issuer = builder.Build();
        issuer.MapGet("/tenant/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority,
            ["jwks_uri"] = authority + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        issuer.MapGet("/tenant/v2.0/keys", () =>
        {
            var parameters = issuerKey.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", kid = KeyId, alg = "RS256", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        });
        await issuer.StartAsync();
        authority = issuer.Urls.First() + "/tenant/v2.0";
        host = new HostFactory()
            .With("Tollgate:Auth:Mode", "EntraId")
            .With("Tollgate:Auth:Authority", authority)
            .With("Tollgate:Auth:Audience", Audience);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_token_from_the_issuer_names_the_caller_by_oid_with_its_app_roles()
    {
        var response = await host.Http(Token(roles: ["Tollgate.Trader", "Auditor", "NotARole"])).GetAsync("/api/auth/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("00000000-0000-0000-0000-00000000abcd", body.GetProperty("subject").GetString());
        Assert.Equal(["Trader", "Auditor"], body.GetProperty("roles").EnumerateArray().Select(role => role.GetString()!).Order().Reverse());
    }

    [Fact]
    public async Task Wrong_audience_wrong_issuer_unknown_key_expiry_and_a_local_token_are_each_refused_with_their_reason()
    {
        using var otherKey = RSA.Create(2048);
        var cases = new (string Token, string Reason)[]
        {
            (Token(audience: "api://someone-else"), "AUTH_WRONG_AUDIENCE"),
            (Token(issuer: "https://login.example/other/v2.0"), "AUTH_WRONG_ISSUER"),
            (Token(key: otherKey, keyId: "not-published"), "AUTH_BAD_SIGNATURE"),
            (Token(expires: DateTime.UtcNow.AddMinutes(-10)), "AUTH_TOKEN_EXPIRED"),
            (host.Tokens.For("local-user", Governance.Identity.Role.Operator), "AUTH_BAD_SIGNATURE"),
        };
        foreach (var (token, reason) in cases)
        {
            var response = await host.Http(token).GetAsync("/api/auth/whoami");
            await response.AssertRefusedAsync(HttpStatusCode.Unauthorized, reason);
        }
    }

    private string Token(string[]? roles = null, string? audience = null, string? issuer = null, DateTime? expires = null, RSA? key = null, string keyId = KeyId)
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? authority,
            Audience = audience ?? Audience,
            IssuedAt = expiry.AddHours(-1),
            NotBefore = expiry.AddHours(-1),
            Expires = expiry,
            Claims = new Dictionary<string, object>
            {
                ["oid"] = "00000000-0000-0000-0000-00000000abcd",
                ["sub"] = "pairwise-subject-not-used",
                ["name"] = "Entra User",
                ["roles"] = roles ?? ["Operator"],
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? issuerKey) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }
}
