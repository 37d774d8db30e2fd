using System.Text.Json.Nodes;

namespace Tollgate.Release.Pipeline;

/// <summary>The Package stage's outcome: the package when every rule held, else the reasons it was refused.</summary>
/// <param name="Verdict">PASS exactly when <paramref name="ReasonCodes"/> is empty (and <paramref name="Package"/> is set).</param>
/// <param name="ReasonCodes">Codes of <see cref="PipelineReasons"/>, each once, in the order found.</param>
/// <param name="Problems">One sentence per problem found.</param>
/// <param name="Version">The release version asked for.</param>
/// <param name="Package">The package; null on FAIL.</param>
public sealed record PackageStageResult(
    StageVerdict Verdict,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<string> Problems,
    string Version,
    ReleasePackage? Package)
{
    /// <summary>
    /// <c>{stage:"package", verdict, reason_codes, problems, version, bundle_name, bundle_sha256, bundle_size_bytes,
    /// checksum_name, manifest_name, manifest_sha256, members:[{name, sha256, size_bytes}]}</c>; the bundle fields are
    /// null and <c>members</c> empty on FAIL. The bundle's bytes are not in it: the ledger records hashes, the
    /// artifact store keeps the files.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = StageJson.Start("package", Verdict, ReasonCodes, Problems);
        json["version"] = Version;
        json["bundle_name"] = Package?.BundleName;
        json["bundle_sha256"] = Package?.BundleSha256;
        json["bundle_size_bytes"] = Package?.Bundle.Length;
        json["checksum_name"] = Package?.ChecksumFileName;
        json["manifest_name"] = Package is null ? null : ReleasePackage.ManifestName;
        json["manifest_sha256"] = Package?.ManifestSha256;
        json["members"] = new JsonArray([.. (Package?.Members ?? []).Select(member => (JsonNode?)new JsonObject
        {
            ["name"] = member.Name,
            ["sha256"] = member.Sha256,
            ["size_bytes"] = member.SizeBytes,
        })]);
        return json;
    }
}
