using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Requests;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Governance.VersionMaps;

/// <summary>A build artifact a version map points to, pinned by content digest.</summary>
public sealed record ArtifactRef(string Name, string Ref, string Digest);

/// <summary>
/// One Active Version Map candidate (seed 000 §5.1, §7.2): the versions of docs, policy, model, config and code,
/// the rulebook snapshot that replays its risk decisions, and the artifacts it was built from. Its id is derived
/// from its content, so the same content is the same map and a map can never be changed under its id.
/// </summary>
public sealed record VersionMap(
    string Id, DeploymentEnvironment Environment, string Docs, string Policy, string Model, string Config, string Code,
    string RulebookSnapshotRef, IReadOnlyList<ArtifactRef> Artifacts)
{
    public const string IdPrefix = "vm-";
    public const int MaxArtifacts = 32;

    public static VersionMap Create(DeploymentEnvironment environment, string docs, string policy, string model, string config, string code,
        string rulebookSnapshotRef, IReadOnlyList<ArtifactRef> artifacts)
    {
        var draft = new VersionMap("", environment, docs, policy, model, config, code, rulebookSnapshotRef, artifacts);
        if (artifacts.Select(artifact => artifact.Name).Distinct(StringComparer.Ordinal).Count() != artifacts.Count)
            throw RequestObject.Invalid("Each artifact name may appear once.");
        var canonical = JsonCanonicalizer.Canonicalize(draft.ContentJson());
        return draft with { Id = IdPrefix + Convert.ToHexStringLower(SHA256.HashData(canonical))[..32] };
    }

    /// <summary>Reads a map from a request: every version required, digests in <c>sha256:</c> form.</summary>
    public static VersionMap FromRequest(RequestObject body) => Create(
        EnvironmentCatalog.Parse(body.Text("environment", 16)),
        body.Text("docs", 128), body.Text("policy", 128), body.Text("model", 128), body.Text("config", 128), body.Text("code", 128),
        body.Digest("rulebook_snapshot_ref"),
        [.. body.ObjectList("artifacts", MaxArtifacts, "name", "ref", "digest").Select(artifact =>
            new ArtifactRef(artifact.Id("name"), artifact.Text("ref", 256), artifact.Digest("digest")))]);

    /// <summary>Reads a map back from its ledger payload (the <c>map</c> member of a <c>version_map</c> entry).</summary>
    public static VersionMap FromJson(JsonElement map)
    {
        var parsed = FromRequest(RequestObject.Of(map, "map", "id", "environment", "docs", "policy", "model", "config", "code",
            "rulebook_snapshot_ref", "artifacts"));
        var id = map.GetProperty("id").GetString();
        return parsed.Id == id ? parsed : throw new InvalidDataException($"Version map {id} does not hash to its id ({parsed.Id}).");
    }

    /// <summary>The content the id is the hash of: everything but the id.</summary>
    public JsonObject ContentJson() => new()
    {
        ["environment"] = Environment.ToString(),
        ["docs"] = Docs,
        ["policy"] = Policy,
        ["model"] = Model,
        ["config"] = Config,
        ["code"] = Code,
        ["rulebook_snapshot_ref"] = RulebookSnapshotRef,
        ["artifacts"] = new JsonArray([.. Artifacts.Select(artifact => (JsonNode)new JsonObject
        {
            ["name"] = artifact.Name, ["ref"] = artifact.Ref, ["digest"] = artifact.Digest,
        })]),
    };

    public JsonObject ToJson()
    {
        var json = ContentJson();
        json["id"] = Id;
        return json;
    }
}
