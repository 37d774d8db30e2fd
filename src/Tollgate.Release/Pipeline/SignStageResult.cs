using System.Text.Json.Nodes;

namespace Tollgate.Release.Pipeline;

/// <summary>The Sign/Hash stage's outcome: the detached signature of a manifest, or why there is none.</summary>
/// <param name="Verdict">PASS exactly when <paramref name="ReasonCodes"/> is empty (and <paramref name="Signature"/> is set).</param>
/// <param name="ReasonCodes">Codes of <see cref="PipelineReasons"/>.</param>
/// <param name="Problems">One sentence per problem; never any key material.</param>
/// <param name="ManifestSha256">The manifest hash signed (or that was to be).</param>
/// <param name="SecretName">The secret the key was read from: its name, never its value.</param>
/// <param name="Algorithm"><see cref="ReleaseSignatureFormat.Algorithm"/>; null on FAIL.</param>
/// <param name="KeyId">SHA-256 of the public key's DER SubjectPublicKeyInfo; null on FAIL.</param>
/// <param name="PublicKey">The verifier key to check the signature with; null on FAIL.</param>
/// <param name="Signature">The detached signature (<see cref="ReleaseSignatureFormat"/>), to store beside the bundle; null on FAIL.</param>
public sealed record SignStageResult(
    StageVerdict Verdict,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<string> Problems,
    string ManifestSha256,
    string SecretName,
    string? Algorithm,
    string? KeyId,
    string? PublicKey,
    string? Signature)
{
    /// <summary>
    /// <c>{stage:"sign", verdict, reason_codes, problems, manifest_sha256, secret_name, algorithm, key_id, public_key,
    /// signature}</c>. The signature is public (it proves, it does not unlock), so the ledger keeps it whole.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = StageJson.Start("sign", Verdict, ReasonCodes, Problems);
        json["manifest_sha256"] = ManifestSha256;
        json["secret_name"] = SecretName;
        json["algorithm"] = Algorithm;
        json["key_id"] = KeyId;
        json["public_key"] = PublicKey;
        json["signature"] = Signature;
        return json;
    }
}
