using System.Text.Json;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;

namespace Tollgate.Governance.VersionMaps;

public enum SwitchAction { Activate, Rollback }

/// <summary>
/// One move of an environment's Active Version Map pointer: record <see cref="Sequence"/> of the environment's
/// switch stream, and the <c>version_map_switch</c> ledger entry at <see cref="LedgerIndex"/>.
/// </summary>
public sealed record VersionSwitch(
    DeploymentEnvironment Environment, long Sequence, SwitchAction Action, string? FromMap, string ToMap, string ConfigVersion,
    string Reason, string Operator, string? Approver, string? ApprovalId, DateTimeOffset At, long LedgerIndex)
{
    public static VersionSwitch From(DeploymentEnvironment environment, StreamRecord record)
    {
        var payload = record.Payload;
        return new VersionSwitch(environment, record.Sequence,
            payload.GetProperty("action").GetString() == "ROLLBACK" ? SwitchAction.Rollback : SwitchAction.Activate,
            NullableText(payload, "from_map"), payload.GetProperty("to_map").GetString()!, payload.GetProperty("config_version").GetString()!,
            payload.GetProperty("reason").GetString()!, payload.GetProperty("operator").GetString()!,
            NullableText(payload, "approver"), NullableText(payload, "approval_id"), record.Entry.Fields.Time, record.LedgerIndex);
    }

    private static string? NullableText(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
