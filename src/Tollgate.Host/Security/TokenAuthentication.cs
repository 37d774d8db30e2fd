using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Tollgate.Governance;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Security;

/// <summary>
/// Bearer tokens, validated by ASP.NET Core's JwtBearer handler: issuer, audience, signature and lifetime, with
/// claim names kept as the token writes them (<c>roles</c>, <c>oid</c>, <c>sub</c>). Entra ID's signing keys come
/// from its OpenID metadata (and roll over with it); local tokens are HMAC-SHA256 with the local key.
/// </summary>
public static class TokenAuthentication
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    public static IServiceCollection AddTollgateTokens(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<HostSettings>((options, host) =>
        {
            var settings = host.Auth;
            options.MapInboundClaims = false;
            options.SaveToken = false;
            options.IncludeErrorDetails = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = settings.Issuer,
                ValidateAudience = true,
                ValidAudience = settings.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = "roles",
                NameClaimType = "name",
            };
            if (settings.Mode == AuthMode.EntraId)
            {
                options.Authority = settings.Authority!.ToString();
                options.RequireHttpsMetadata = !settings.Authority.IsLoopback;
            }
            else
            {
                options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(settings.LocalSigningKey!);
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
        });
        return services;
    }

    /// <summary>Why a token was refused, as a stable reason code.</summary>
    public static string ReasonFor(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException => GovernanceReasons.TokenExpired,
        SecurityTokenInvalidAudienceException => GovernanceReasons.WrongAudience,
        SecurityTokenInvalidIssuerException => GovernanceReasons.WrongIssuer,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidAlgorithmException => GovernanceReasons.BadSignature,
        _ => GovernanceReasons.TokenInvalid,
    };

    /// <summary>What to tell the caller: the reason's description, never the token or the validator's details.</summary>
    public static string MessageFor(string reason) =>
        new StringBuilder(GovernanceReasons.Descriptions[reason]).Append("; send an Authorization: Bearer token (tollgate auth token, or an Entra ID token).").ToString();
}
