using System.Security.Cryptography;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Security;

/// <summary>One way of calling: a bearer token (or none), and what the access check must make of it.</summary>
/// <param name="Name">How the variant reads in a failure message.</param>
/// <param name="Token">The bearer token; null sends no Authorization header.</param>
/// <param name="RefusedAs">The 401 reason for a token the host must not accept; null for a valid token.</param>
/// <param name="Roles">The roles of a valid token.</param>
public sealed record TokenVariant(string Name, string? Token, string? RefusedAs, IReadOnlyList<Role> Roles, string Subject)
{
    /// <summary>
    /// The tokens the host must refuse with 401, each wrong in one way only and carrying every role (so the
    /// refusal cannot come from the roles); then a valid token with no roles, and one valid token per role.
    /// </summary>
    public static IReadOnlyList<TokenVariant> All(TestTokens tokens)
    {
        var every = Enum.GetValues<Role>();
        const string subject = "matrix-caller";
        var variants = new List<TokenVariant>
        {
            new("no token", null, "AUTH_TOKEN_MISSING", every, subject),
            new("expired token", tokens.Create(subject, every, expires: DateTime.UtcNow.AddHours(-2)), "AUTH_TOKEN_EXPIRED", every, subject),
            new("token for another audience", tokens.Create(subject, every, audience: "api://someone-else"), "AUTH_WRONG_AUDIENCE", every, subject),
            new("token from another issuer", tokens.Create(subject, every, issuer: "https://issuer.example/"), "AUTH_WRONG_ISSUER", every, subject),
            new("token signed with another key", tokens.Create(subject, every, signingKey: RandomNumberGenerator.GetBytes(32)), "AUTH_BAD_SIGNATURE", every, subject),
            new("not a token at all", "not-a-jwt", "AUTH_TOKEN_INVALID", every, subject),
            new("valid token with no roles", tokens.Create(subject, []), null, [], subject),
        };
        variants.AddRange(every.Select(role => new TokenVariant($"valid {role} token", tokens.For($"matrix-{role.ToString().ToLowerInvariant()}", role), null, [role],
            $"matrix-{role.ToString().ToLowerInvariant()}")));
        return variants;
    }

    public bool Allows(GovernanceAction action) => RefusedAs is null && Roles.Any(role => RoleMatrix.Allows(role, action));
}
