using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;

namespace Tollgate.Governance.Rollouts;

/// <summary>How decisions are assigned to the canary: every decision of a symbol to one side, or each decision on its own.</summary>
public enum SplitBy { Symbol, Decision }

/// <summary>What a traffic-split record did.</summary>
public enum SplitAction
{
    /// <summary>A canary map is staged beside the stable one at weight 0: hosts load it without serving it (blue/green).</summary>
    Stage,
    /// <summary>The canary's share of decisions changed.</summary>
    Weight,
    /// <summary>Traffic went back to the stable map whole (a rollback while the canary ran).</summary>
    Abort,
    /// <summary>The canary became the Active Version Map; the split is over.</summary>
    Complete,
}

/// <summary>
/// One record of an environment's traffic split: which share of decisions the canary map decides, and the stable
/// (Active Version Map) map every other decision follows. The split is an Only-Add stream next to the version map's:
/// a rollback during a canary is a new record with weight 0, never an edit. <see cref="Sequence"/> is the epoch
/// data-plane hosts acknowledge.
/// </summary>
public sealed record TrafficSplit(
    DeploymentEnvironment Environment,
    long Sequence,
    SplitAction Action,
    string ReleaseId,
    string StableMap,
    string? CanaryMap,
    int WeightBasisPoints,
    SplitBy SplitBy,
    string Reason,
    string Actor,
    DateTimeOffset At,
    long LedgerIndex)
{
    public const int FullWeight = 10_000;

    /// <summary>True while a canary map decides a share of decisions (or is staged at 0 to be loaded).</summary>
    public bool IsActive => CanaryMap is not null && Action is SplitAction.Stage or SplitAction.Weight;

    public decimal WeightPercent => WeightBasisPoints / 100m;

    /// <summary>
    /// Whether the decision with this key goes to the canary: a bucket in [0, 10000) from SHA-256 of the release id
    /// and the key, so the assignment is the same on every host and after every restart, and a higher weight only
    /// adds buckets (a decision key on the canary at 10% is still on it at 50%).
    /// </summary>
    public bool IsCanary(string symbolKey, string decisionKey)
    {
        if (!IsActive || WeightBasisPoints <= 0) return false;
        if (WeightBasisPoints >= FullWeight) return true;
        return Bucket(ReleaseId, SplitBy == SplitBy.Symbol ? symbolKey : decisionKey) < WeightBasisPoints;
    }

    public static int Bucket(string releaseId, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{releaseId}\n{key}"), hash);
        return (int)(BitConverter.ToUInt32(hash[..4]) % FullWeight);
    }

    internal static TrafficSplit From(DeploymentEnvironment environment, StreamRecord record)
    {
        var p = record.Payload;
        return new TrafficSplit(environment, record.Sequence, Enum.Parse<SplitAction>(p.GetProperty("action").GetString()!, ignoreCase: true),
            p.GetProperty("release_id").GetString()!, p.GetProperty("stable_map").GetString()!,
            p.GetProperty("canary_map").ValueKind == JsonValueKind.Null ? null : p.GetProperty("canary_map").GetString(),
            p.GetProperty("weight_bp").GetInt32(), Enum.Parse<SplitBy>(p.GetProperty("split_by").GetString()!, ignoreCase: true),
            p.GetProperty("reason").GetString()!, record.Entry.Fields.Actor, record.Entry.Fields.Time, record.LedgerIndex);
    }

    public override string ToString() => CanaryMap is null
        ? $"{Environment} #{Sequence} {Action}: all decisions on {StableMap}"
        : $"{Environment} #{Sequence} {Action}: {WeightPercent.ToString(CultureInfo.InvariantCulture)}% of decisions (by {SplitBy}) on {CanaryMap}, the rest on {StableMap}";
}
