using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Release.Policy;

namespace Tollgate.Release.Releases;

/// <summary>The CI evidence a release carries: where it was built, and (code releases) CI's test report in the object store.</summary>
/// <param name="Commit">The code commit (40 or 64 hex) the candidate map's code version names.</param>
/// <param name="CiRunId">CI's run id.</param>
/// <param name="CiRunUrl">CI's run URL, if any.</param>
/// <param name="TestReport"><c>sha256:&lt;hex&gt;</c> of CI's JUnit XML or TRX report in the object store.</param>
public sealed record ReleaseEvidence(string Commit, string CiRunId, string? CiRunUrl, string? TestReport);

/// <summary>
/// A release (issue 8 item 1): a candidate Active Version Map for one environment, with the CI evidence that produced
/// it and, for a config release, the bundle and the recorded market capture its Test stage simulates. The id is a
/// hash of the environment, the candidate and CI's run, so CI repeating its call finds the same release.
/// </summary>
public sealed record ReleaseRequest(
    string ReleaseId,
    string Environment,
    ReleaseKind Kind,
    string CandidateMap,
    ReleaseEvidence Evidence,
    string? Bundle,
    string? Capture,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? GateInputs = null)
{
    public const string IdPrefix = "rel-";

    public static string IdFor(string environment, string candidateMap, string ciRunId) =>
        IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{environment}\n{candidateMap}\n{ciRunId}")))[..20];

    public static bool IsId(string text) => text.Length == IdPrefix.Length + 20 && text.StartsWith(IdPrefix, StringComparison.Ordinal)
        && text[IdPrefix.Length..].All(char.IsAsciiHexDigitLower);

    public JsonObject ToJson() => new()
    {
        ["release_id"] = ReleaseId,
        ["environment"] = Environment,
        ["kind"] = Kind == ReleaseKind.Code ? "code" : "config_bundle",
        ["candidate_map"] = CandidateMap,
        ["evidence"] = new JsonObject
        {
            ["commit"] = Evidence.Commit,
            ["ci_run_id"] = Evidence.CiRunId,
            ["ci_run_url"] = Evidence.CiRunUrl,
            ["test_report"] = Evidence.TestReport,
        },
        ["bundle"] = Bundle,
        ["capture"] = Capture,
        ["gate_inputs"] = GateInputs,
        ["requested_by"] = RequestedBy,
        ["requested_at"] = RequestedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    public static ReleaseRequest FromJson(JsonElement json) => new(
        json.GetProperty("release_id").GetString()!, json.GetProperty("environment").GetString()!,
        json.GetProperty("kind").GetString() == "code" ? ReleaseKind.Code : ReleaseKind.ConfigBundle, json.GetProperty("candidate_map").GetString()!,
        new ReleaseEvidence(json.GetProperty("evidence").GetProperty("commit").GetString()!, json.GetProperty("evidence").GetProperty("ci_run_id").GetString()!,
            Nullable(json.GetProperty("evidence"), "ci_run_url"), Nullable(json.GetProperty("evidence"), "test_report")),
        Nullable(json, "bundle"), Nullable(json, "capture"), json.GetProperty("requested_by").GetString()!,
        DateTimeOffset.Parse(json.GetProperty("requested_at").GetString()!, CultureInfo.InvariantCulture), Nullable(json, "gate_inputs"));

    private static string? Nullable(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>Reason codes of a release request.</summary>
public static class ReleaseRequestReasons
{
    /// <summary>Not JSON, a member missing or mistyped, or a member the format does not have.</summary>
    public const string Invalid = "REL-REQUEST-INVALID";
    /// <summary>The candidate map is not registered, or for another environment.</summary>
    public const string MapInvalid = "REL-REQUEST-MAP";
    /// <summary>The candidate map names no usable <c>policy</c> artifact, or its policy is for another environment or kind.</summary>
    public const string PolicyInvalid = "REL-REQUEST-POLICY";
}

/// <summary>Reads <c>POST /api/releases</c>'s body: every member checked, unknown members refused.</summary>
public static class ReleaseRequestReader
{
    private static readonly string[] Members = ["environment", "kind", "candidate_map", "evidence", "bundle", "capture", "gate_inputs"];
    private static readonly string[] EvidenceMembers = ["commit", "ci_run_id", "ci_run_url", "test_report"];

    /// <exception cref="ReleaseRequestException">With <see cref="ReleaseRequestReasons.Invalid"/> and every problem.</exception>
    public static ReleaseRequest Parse(JsonElement body, string requestedBy, DateTimeOffset at)
    {
        var problems = new List<string>();
        if (body.ValueKind != JsonValueKind.Object) throw new ReleaseRequestException(ReleaseRequestReasons.Invalid, ["the body is a JSON object"]);
        foreach (var p in body.EnumerateObject())
            if (!Members.Contains(p.Name)) problems.Add($"'{p.Name}' is not a member of a release request");
        var environment = Text(body, "environment", problems, 16);
        if (environment is not null && environment is not ("Paper" or "Live")) problems.Add("environment: a release goes to Paper or Live");
        var kind = Text(body, "kind", problems, 16);
        if (kind is not null && kind is not ("code" or "config_bundle")) problems.Add("kind: code or config_bundle");
        var map = Text(body, "candidate_map", problems, 64);
        string? commit = null, run = null, url = null, report = null;
        if (body.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in evidence.EnumerateObject())
                if (!EvidenceMembers.Contains(p.Name)) problems.Add($"evidence.'{p.Name}' is not a member of the evidence");
            commit = Text(evidence, "commit", problems, 64);
            if (commit is not null && !(commit.Length is 40 or 64 && commit.All(char.IsAsciiHexDigit))) problems.Add("evidence.commit: a commit is 40 or 64 hex digits");
            run = Text(evidence, "ci_run_id", problems, 128);
            url = Optional(evidence, "ci_run_url", problems, 512);
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")) problems.Add("evidence.ci_run_url: an http(s) URL");
            report = Digest(evidence, "test_report", problems);
        }
        else problems.Add("evidence: an object with commit and ci_run_id is required");
        var bundle = Digest(body, "bundle", problems);
        var capture = Digest(body, "capture", problems);
        if (kind == "config_bundle" && (bundle is null || capture is null)) problems.Add("a config_bundle release names its bundle and the market capture its Test stage simulates (sha256:<hex> objects)");
        if (kind == "code" && report is null) problems.Add("a code release names CI's test report (evidence.test_report, a sha256:<hex> object)");
        string? gateInputs = null;
        if (body.TryGetProperty("gate_inputs", out var gates) && gates.ValueKind != JsonValueKind.Null)
        {
            if (gates.ValueKind != JsonValueKind.Object) problems.Add("gate_inputs: an object with document_index and veto_reason_codes, as the gate API takes them");
            else gateInputs = gates.GetRawText();
        }
        if (problems.Count > 0) throw new ReleaseRequestException(ReleaseRequestReasons.Invalid, problems);
        return new ReleaseRequest(ReleaseRequest.IdFor(environment!, map!, run!), environment!, kind == "code" ? ReleaseKind.Code : ReleaseKind.ConfigBundle, map!,
            new ReleaseEvidence(commit!.ToLowerInvariant(), run!, url, report), bundle, capture, requestedBy, at, gateInputs);
    }

    private static string? Text(JsonElement o, string name, List<string> problems, int max)
    {
        if (o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s && s.Length <= max) return s;
        problems.Add($"{name}: a text of 1-{max} characters is required");
        return null;
    }

    private static string? Optional(JsonElement o, string name, List<string> problems, int max) =>
        o.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Text(o, name, problems, max) : null;

    private static string? Digest(JsonElement o, string name, List<string> problems)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } s && s.StartsWith("sha256:", StringComparison.Ordinal) && s.Length == 71
            && s[7..].All(char.IsAsciiHexDigitLower)) return s;
        problems.Add($"{name}: sha256:<64 lowercase hex> of an object in the object store");
        return null;
    }
}

/// <summary>A release request refused, with its reason code and every problem.</summary>
public sealed class ReleaseRequestException(string code, IReadOnlyList<string> problems) : Exception($"{code}: {string.Join("; ", problems)}")
{
    public string Code { get; } = code;
    public IReadOnlyList<string> Problems { get; } = problems;
}
