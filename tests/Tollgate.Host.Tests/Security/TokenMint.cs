using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Security;

/// <summary>Tokens <see cref="TestTokens"/> will not make: any claims, any lifetime, unsigned.</summary>
public static class TokenMint
{
    /// <summary>A token signed with the host's key whose claims are exactly <paramref name="claims"/> (no default times).</summary>
    public static string Signed(TestTokens tokens, IDictionary<string, object> claims, DateTime? notBefore, DateTime? expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = TestTokens.Audience,
            NotBefore = notBefore,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(tokens.Key), SecurityAlgorithms.HmacSha256),
        });

    /// <summary>A valid-looking token for an operator with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TestTokens.Issuer,
        Audience = TestTokens.Audience,
        Expires = DateTime.UtcNow.AddHours(1),
        Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = new[] { "Operator", "Admin" } },
    });

    /// <summary><paramref name="token"/> with its payload replaced (same header and signature): a tampered token.</summary>
    public static string WithPayload(string token, string payloadJson)
    {
        var parts = token.Split('.');
        parts[1] = Base64UrlEncoder.Encode(payloadJson);
        return string.Join('.', parts);
    }
}
