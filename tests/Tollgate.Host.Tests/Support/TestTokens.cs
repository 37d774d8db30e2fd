using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tollgate.Governance.Identity;

namespace Tollgate.Host.Tests.Support;

/// <summary>Local bearer tokens for a test host: the claims an Entra ID token carries, signed with the host's local key.</summary>
public sealed class TestTokens
{
    public const string Issuer = "tollgate-local";
    public const string Audience = "api://tollgate";

    public TestTokens(byte[]? key = null) => Key = key ?? RandomNumberGenerator.GetBytes(32);

    public byte[] Key { get; }

    public string KeyBase64 => Convert.ToBase64String(Key);

    /// <summary>A valid token for <paramref name="subject"/> with <paramref name="roles"/>.</summary>
    public string For(string subject, params Role[] roles) => Create(subject, roles);

    public string Create(string subject, IEnumerable<Role> roles, string? audience = null, string? issuer = null, DateTime? expires = null,
        byte[]? signingKey = null, bool shared = false, string? name = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles.Select(role => role.ToString()).ToArray() };
        if (shared) claims["tollgate_shared"] = "true";
        if (name is not null) claims["name"] = name;
        var expiry = expires ?? now.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            IssuedAt = expiry < now ? expiry.AddHours(-1) : now,
            NotBefore = expiry < now ? expiry.AddHours(-1) : now,
            Expires = expiry,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }
}
