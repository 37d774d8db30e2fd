using System.Text.Json.Nodes;

namespace Tollgate.Release.Pipeline;

/// <summary>The outcome of checking one release signature against one manifest.</summary>
/// <param name="Verdict">PASS exactly when <paramref name="ReasonCodes"/> is empty.</param>
/// <param name="ReasonCodes">Codes of <see cref="PipelineReasons"/>.</param>
/// <param name="Problems">One sentence per problem.</param>
/// <param name="ManifestSha256">SHA-256 of the manifest checked.</param>
/// <param name="KeyId">SHA-256 of the public key checked with; null when the key could not be read.</param>
/// <param name="SignedManifestSha256">The manifest hash a valid release signature by the key vouches for (another manifest's on a mismatch); null when there is none.</param>
public sealed record SignatureCheck(
    StageVerdict Verdict,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<string> Problems,
    string ManifestSha256,
    string? KeyId,
    string? SignedManifestSha256)
{
    /// <summary><c>{stage:"verify-signature", verdict, reason_codes, problems, manifest_sha256, key_id, signed_manifest_sha256}</c>.</summary>
    public JsonObject ToJson()
    {
        var json = StageJson.Start("verify-signature", Verdict, ReasonCodes, Problems);
        json["manifest_sha256"] = ManifestSha256;
        json["key_id"] = KeyId;
        json["signed_manifest_sha256"] = SignedManifestSha256;
        return json;
    }
}
