using Microsoft.Extensions.Configuration;

namespace Tollgate.Host.Settings;

/// <summary>Release control: where the release key is, and where canary metrics come from.</summary>
public sealed record ReleaseSettings
{
    /// <summary><c>Tollgate:Release:SigningKeySecret</c>: the secret holding the release signing key (PKCS#8 ECDSA P-256); default <c>release-signing-key</c>.</summary>
    public string SigningKeySecret { get; init; } = "release-signing-key";

    /// <summary><c>Tollgate:Release:PrometheusUrl</c>: canary metrics by PromQL from this Prometheus HTTP API (or Azure Monitor managed Prometheus); unset: the execution plane's own observations.</summary>
    public Uri? PrometheusUrl { get; init; }

    public static ReleaseSettings Load(IConfiguration configuration)
    {
        string? Value(string name) => configuration[$"Tollgate:Release:{name}"] is { Length: > 0 } v ? v : null;
        var defaults = new ReleaseSettings();
        Uri? prometheus = null;
        if (Value("PrometheusUrl") is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out prometheus) && prometheus.Scheme is "http" or "https"))
            throw new InvalidOperationException($"Tollgate:Release:PrometheusUrl '{url}' is not an http(s) URL.");
        return new ReleaseSettings { SigningKeySecret = Value("SigningKeySecret") ?? defaults.SigningKeySecret, PrometheusUrl = prometheus };
    }
}
