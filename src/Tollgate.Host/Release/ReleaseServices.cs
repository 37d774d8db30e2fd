using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Rollouts;
using Tollgate.Governance.VersionMaps;
using Tollgate.Host.Api;
using Tollgate.Host.Hosting;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;
using Tollgate.Release.Metrics;
using Tollgate.Release.Policy;
using Tollgate.Release.Releases;

namespace Tollgate.Host.Release;

/// <summary>A release with what its activities keep needing: the request, the candidate map and the policy it names.</summary>
public sealed record ReleaseContext(ReleaseRequest Request, DeploymentEnvironment Environment, VersionMap Candidate, ReleasePolicy Policy);

/// <summary>
/// What the release activities reach, resolved from the host's services when first used (the engine's registry is
/// built before the services it would otherwise need: the kill switch's propagation needs the engine's worker).
/// </summary>
public sealed class ReleaseServices(IServiceProvider services)
{
    /// <summary>Who release control acts as: the pipeline identity of Tollgate itself, never a person.</summary>
    public static readonly Principal Principal = new(Tollgate.Governance.Gates.GateWaivers.ReleaseControlSubject, "Tollgate release control", new HashSet<Role> { Role.Pipeline }, false);

    public GovernanceHost Governance => services.GetRequiredService<GovernanceHost>();
    public LedgerHost Ledger => services.GetRequiredService<LedgerHost>();
    public KillSwitchPropagation KillSwitch => services.GetRequiredService<KillSwitchPropagation>();
    public HealthApi Health => services.GetRequiredService<HealthApi>();
    public ICanaryMetricSource Metrics => services.GetRequiredService<ICanaryMetricSource>();
    public Governance.Secrets.ISecretStore Secrets => services.GetRequiredService<Governance.Secrets.ISecretStore>();
    public Settings.HostSettings Settings => services.GetRequiredService<Settings.HostSettings>();
    public TimeProvider Clock => services.GetRequiredService<TimeProvider>();
    public ReleaseRecords Records => records ??= new ReleaseRecords(Governance.Table);
    private ReleaseRecords? records;

    public async Task<ReleaseContext> ContextAsync(string releaseId, CancellationToken cancellationToken)
    {
        var request = await Records.FindAsync(releaseId, cancellationToken)
            ?? throw new GovernanceException(ReleaseApiReasons.NotFound, $"No release {releaseId}.");
        var candidate = (await Governance.VersionMaps.GetAsync(request.CandidateMap, cancellationToken)).Map;
        return new ReleaseContext(request, Enum.Parse<DeploymentEnvironment>(request.Environment), candidate, await PolicyOfAsync(candidate, cancellationToken));
    }

    /// <summary>The candidate map's <c>policy</c> artifact, parsed; its rev must be the map's policy version.</summary>
    /// <exception cref="ReleaseRequestException"><see cref="ReleaseRequestReasons.PolicyInvalid"/>.</exception>
    public async Task<ReleasePolicy> PolicyOfAsync(VersionMap map, CancellationToken cancellationToken)
    {
        if (map.Artifacts.FirstOrDefault(a => a.Name == "policy") is not { } artifact)
            throw new ReleaseRequestException(ReleaseRequestReasons.PolicyInvalid, [$"map {map.Id} names no policy artifact (its release policy)"]);
        var bytes = await ReadObjectAsync(artifact.Digest, cancellationToken)
            ?? throw new ReleaseRequestException(ReleaseRequestReasons.PolicyInvalid, [$"the policy object {artifact.Digest} is not in the object store"]);
        ReleasePolicy policy;
        try { policy = ReleasePolicyReader.Parse(Encoding.UTF8.GetString(bytes)); }
        catch (ReleasePolicyException e) { throw new ReleaseRequestException(ReleaseRequestReasons.PolicyInvalid, [.. e.Problems.Select(p => p.ToString())]); }
        if (policy.Rev != map.Policy)
            throw new ReleaseRequestException(ReleaseRequestReasons.PolicyInvalid, [$"the policy artifact is {policy.Rev}, the map's policy version is {map.Policy}"]);
        if (policy.Environment != map.Environment.ToString())
            throw new ReleaseRequestException(ReleaseRequestReasons.PolicyInvalid, [$"policy {policy.Name} is for {policy.Environment}, the map for {map.Environment}"]);
        return policy;
    }

    /// <summary>An object of the store by <c>sha256:&lt;hex&gt;</c>, checked against its name (a store is trusted only as far as its bytes hash right).</summary>
    public async Task<byte[]?> ReadObjectAsync(string digest, CancellationToken cancellationToken)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        var bytes = await Governance.Content.ReadAsync(hex, cancellationToken);
        if (bytes is null) return null;
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) == hex ? bytes : throw new DigestMismatchException(digest);
    }

    public async Task<string> StoreObjectAsync(byte[] content, CancellationToken cancellationToken) =>
        "sha256:" + await Governance.Content.StoreAsync(content, cancellationToken);

    /// <summary>Appends an entry once: a retried activity finds the entry its first attempt wrote under the same key.</summary>
    public async Task<long> AppendOnceAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return (await Governance.Audit.AppendAsync(entry, cancellationToken)).Index;
        }
        catch (LedgerException e) when (e.Reason == LedgerReason.KeyConflict && Governance.Audit.Find(entry.Fields.Key) is not null)
        {
            return (await FindOwnAsync(entry.Fields.Key, cancellationToken))!.Value;
        }
    }

    /// <summary>
    /// The entry under <paramref name="key"/> if release control wrote it. Anyone else's entry under a release key (the
    /// ledger API takes appends from Operators) is never taken for a stage's answer: the activity fails instead.
    /// </summary>
    public async Task<long?> FindOwnAsync(string key, CancellationToken cancellationToken)
    {
        if (Governance.Audit.Find(key) is not { } index) return null;
        var entry = await Governance.Audit.ReadAsync(index, cancellationToken);
        return entry.Fields.Actor == Principal.Subject
            ? index
            : throw new InvalidOperationException($"the ledger key {key} holds an entry by {entry.Fields.Actor}, not by release control; the release stops here");
    }

    public LedgerEntry Entry(LedgerKind kind, string key, ReleaseContext release, JsonObject payload, params string?[] refs) =>
        LedgerEntry.Create(new LedgerEntryFields(kind.Name, key, Clock.GetUtcNow(), Principal.Subject, release.Request.ReleaseId, release.Request.Environment,
            [.. refs.OfType<string>().Distinct()]), payload);

    public async Task<TrafficSplit?> SplitAsync(ReleaseContext release, CancellationToken cancellationToken) =>
        await Governance.Splits.CurrentAsync(release.Environment, cancellationToken);
}

/// <summary>An object whose bytes do not hash to its name.</summary>
public sealed class DigestMismatchException(string digest) : Exception($"the object {digest} does not hash to its name");

/// <summary>Reason codes of the release API.</summary>
public static class ReleaseApiReasons
{
    public const string NotFound = "REL-NOT-FOUND";
    public const string NotRunning = "REL-NOT-RUNNING";
    public const string UnknownAction = "REL-UNKNOWN-ACTION";
}

internal static class JsonFacts
{
    public static JsonObject Object(IReadOnlyDictionary<string, string> facts) =>
        new(facts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

internal static class LedgerEntryPayload
{
    /// <summary>The entry's payload member.</summary>
    public static JsonElement PayloadOf(this LedgerEntry entry)
    {
        using var document = JsonDocument.Parse(entry.Bytes);
        return document.RootElement.GetProperty("payload").Clone();
    }
}
