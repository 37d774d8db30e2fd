using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Storage;
using Tollgate.Release.Releases;

namespace Tollgate.Host.Release;

/// <summary>An analysis as the release's table keeps it for the next look and for <c>GET /api/releases/{id}</c>; the ledger has the record.</summary>
public sealed record AnalysisRow(string AnalysisId, int Step, int Look, DateTime WindowStart, DateTime WindowEnd, string Decision, IReadOnlyList<string> ReasonCodes,
    string Summary, string RecordSha256, long LedgerIndex, int FailedHealthChecks, JsonObject SequentialStates);

/// <summary>
/// Releases and their analyses in the governance table (insert-only): the request row written once by
/// <c>POST /api/releases</c>, a newest-first listing, and one row per analysis look. The ledger holds the same facts;
/// these rows are for fast reads.
/// </summary>
public sealed class ReleaseRecords(GovernanceTable table)
{
    private const string Partition = "release";
    private const string ListPartition = "release-list";

    /// <summary>False when a release with this id exists (CI repeated its call).</summary>
    public async Task<bool> TryAddAsync(ReleaseRequest request, CancellationToken cancellationToken)
    {
        if (!await table.TryInsertAsync(Partition, request.ReleaseId, request.ToJson().ToJsonString(), cancellationToken)) return false;
        await table.TryInsertAsync(ListPartition, $"{RecordKeys.NewestFirst(request.RequestedAt)}-{request.ReleaseId}", request.ReleaseId, cancellationToken);
        return true;
    }

    public async Task<ReleaseRequest?> FindAsync(string releaseId, CancellationToken cancellationToken)
    {
        if (!ReleaseRequest.IsId(releaseId)) return null;
        var row = await table.GetAsync(Partition, releaseId, cancellationToken);
        if (row is null) return null;
        using var doc = JsonDocument.Parse(row.Json);
        return ReleaseRequest.FromJson(doc.RootElement);
    }

    public async Task<IReadOnlyList<string>> ListAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await table.QueryAsync(ListPartition, "", limit, cancellationToken)).Select(r => r.Json)];

    public async Task AddAnalysisAsync(string releaseId, AnalysisRow row, CancellationToken cancellationToken)
    {
        var json = new JsonObject
        {
            ["analysis_id"] = row.AnalysisId, ["step"] = row.Step, ["look"] = row.Look,
            ["window_start"] = row.WindowStart.ToString("O", CultureInfo.InvariantCulture), ["window_end"] = row.WindowEnd.ToString("O", CultureInfo.InvariantCulture),
            ["decision"] = row.Decision, ["reason_codes"] = new JsonArray([.. row.ReasonCodes.Select(c => (JsonNode)c)]), ["summary"] = row.Summary,
            ["record_sha256"] = row.RecordSha256, ["ledger_index"] = row.LedgerIndex, ["failed_health_checks"] = row.FailedHealthChecks,
            ["sequential_states"] = row.SequentialStates.DeepClone(),
        };
        await table.TryInsertAsync(AnalysisPartition(releaseId), RowKey(row.Step, row.Look, row.WindowStart), json.ToJsonString(), cancellationToken);
    }

    /// <summary>Every analysis of the release, in step, window and look order.</summary>
    public async Task<IReadOnlyList<AnalysisRow>> AnalysesAsync(string releaseId, CancellationToken cancellationToken) =>
        [.. (await table.QueryAsync(AnalysisPartition(releaseId), "", 10_000, cancellationToken)).Select(Parse)];

    /// <summary>An approval the release asked for, listed with the release so a Trader (and the CLI) can find it.</summary>
    public async Task AddApprovalAsync(string releaseId, string approvalId, string purpose, DateTimeOffset at, CancellationToken cancellationToken) =>
        await table.TryInsertAsync($"release-approvals-{releaseId}", $"{at.UtcTicks:D19}-{approvalId}",
            new JsonObject { ["approval_id"] = approvalId, ["purpose"] = purpose }.ToJsonString(), cancellationToken);

    public async Task<IReadOnlyList<(string ApprovalId, string Purpose)>> ApprovalsAsync(string releaseId, CancellationToken cancellationToken) =>
        [.. (await table.QueryAsync($"release-approvals-{releaseId}", "", 100, cancellationToken)).Select(r =>
        {
            var o = JsonNode.Parse(r.Json)!.AsObject();
            return ((string)o["approval_id"]!, (string)o["purpose"]!);
        })];

    private static string AnalysisPartition(string releaseId) => $"analysis-{releaseId}";

    private static string RowKey(int step, int look, DateTime windowStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{step:D3}:{windowStart.Ticks:D19}:{look:D6}");

    private static AnalysisRow Parse(StoredRecord record)
    {
        var r = JsonNode.Parse(record.Json)!.AsObject();
        return new AnalysisRow((string)r["analysis_id"]!, (int)r["step"]!, (int)r["look"]!,
            DateTime.Parse((string)r["window_start"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            DateTime.Parse((string)r["window_end"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), (string)r["decision"]!,
            [.. r["reason_codes"]!.AsArray().Select(c => (string)c!)], (string)r["summary"]!, (string)r["record_sha256"]!, (long)r["ledger_index"]!,
            (int)r["failed_health_checks"]!, r["sequential_states"]!.AsObject().DeepClone().AsObject());
    }
}
