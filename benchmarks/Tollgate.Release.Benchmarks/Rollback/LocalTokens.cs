using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>
/// Bearer tokens the hosts accept in Local auth mode (issuer <c>tollgate-local</c>, audience <c>api://tollgate</c>,
/// HMAC-SHA256 with the key every host of the run is given), minted here as <c>tollgate auth token</c> would. The key
/// is fresh per run and lives only in this process and the hosts' environment.
/// </summary>
internal sealed class LocalTokens(byte[] key)
{
    public string KeyBase64 { get; } = Convert.ToBase64String(key);

    public string Mint(string subject, string name, params string[] roles) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "tollgate-local",
        Audience = "api://tollgate",
        Expires = DateTime.UtcNow.AddHours(4),
        Claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = name, ["roles"] = roles },
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}
