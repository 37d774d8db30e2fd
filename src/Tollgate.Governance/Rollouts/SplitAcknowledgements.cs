using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Storage;

namespace Tollgate.Governance.Rollouts;

/// <summary>A data-plane host's word that it now decides by split record <see cref="Sequence"/>, with the config revs it serves.</summary>
public sealed record SplitAcknowledgement(string HostId, long Sequence, string StableRev, string? CanaryRev, int WeightBasisPoints, DateTimeOffset At);

/// <summary>Which hosts have acknowledged a split record, and which of the hosts that served the one before have not yet.</summary>
public sealed record AcknowledgementState(long Sequence, IReadOnlyList<SplitAcknowledgement> Acknowledged, IReadOnlyList<string> Missing)
{
    public bool Complete => Missing.Count == 0;
}

/// <summary>
/// Acknowledgements of traffic-split records by data-plane hosts: insert-only rows, one per host and record. A
/// rollback is complete when every host that acknowledged the record before it has acknowledged it too — a host
/// that never served the canary cannot be deciding under it, and a host that did must say it stopped.
/// </summary>
public sealed class SplitAcknowledgements(GovernanceTable table)
{
    public async Task AcknowledgeAsync(DeploymentEnvironment environment, SplitAcknowledgement ack, CancellationToken cancellationToken)
    {
        var json = new JsonObject
        {
            ["host_id"] = ack.HostId,
            ["sequence"] = ack.Sequence,
            ["stable_rev"] = ack.StableRev,
            ["canary_rev"] = ack.CanaryRev,
            ["weight_bp"] = ack.WeightBasisPoints,
            ["at"] = ack.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        // False: this host acknowledged this record already (a restart re-reads it). The first word stands.
        await table.TryInsertAsync(Partition(environment), Row(ack.Sequence, ack.HostId), json.ToJsonString(), cancellationToken);
    }

    public async Task<IReadOnlyList<SplitAcknowledgement>> OfAsync(DeploymentEnvironment environment, long sequence, CancellationToken cancellationToken) =>
        [.. (await table.QueryAsync(Partition(environment), Prefix(sequence), 1000, cancellationToken)).Select(Parse)];

    /// <summary>Who acknowledged <paramref name="sequence"/>, and who of those that acknowledged <c>sequence − 1</c> has not.</summary>
    public async Task<AcknowledgementState> StateAsync(DeploymentEnvironment environment, long sequence, CancellationToken cancellationToken)
    {
        var acknowledged = await OfAsync(environment, sequence, cancellationToken);
        var previous = sequence > 1 ? await OfAsync(environment, sequence - 1, cancellationToken) : [];
        var missing = previous.Select(a => a.HostId).Except(acknowledged.Select(a => a.HostId), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new AcknowledgementState(sequence, acknowledged, missing);
    }

    private static string Partition(DeploymentEnvironment environment) => $"split-ack-{environment}";
    private static string Prefix(long sequence) => $"{sequence.ToString("D10", CultureInfo.InvariantCulture)}:";
    private static string Row(long sequence, string hostId) => Prefix(sequence) + hostId;

    private static SplitAcknowledgement Parse(StoredRecord row)
    {
        using var doc = JsonDocument.Parse(row.Json);
        var r = doc.RootElement;
        return new SplitAcknowledgement(r.GetProperty("host_id").GetString()!, r.GetProperty("sequence").GetInt64(), r.GetProperty("stable_rev").GetString()!,
            r.GetProperty("canary_rev").ValueKind == JsonValueKind.Null ? null : r.GetProperty("canary_rev").GetString(), r.GetProperty("weight_bp").GetInt32(),
            DateTimeOffset.Parse(r.GetProperty("at").GetString()!, CultureInfo.InvariantCulture));
    }
}
