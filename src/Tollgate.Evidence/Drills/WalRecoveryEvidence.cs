using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// Checks the evidence of a WAL recovery drill against RTO/RPO thresholds (the counterpart of
/// <c>verify_wal_recovery_evidence.py --max-rto-seconds --max-rpo-events</c>).
/// <para>
/// The evidence file is .env style (see <c>Vectors/wal_recovery_result.env</c> in the tests):
/// <list type="table">
/// <item><term>DRILL_ID</term><description>required; the drill's identifier.</description></item>
/// <item><term>STATUS</term><description>required; PASS or FAIL as the drill itself judged recovery (FAIL gives DR-RECOVERY-FAILED).</description></item>
/// <item><term>RTO_SECONDS</term><description>required; measured time from failure to recovered service, decimal seconds.</description></item>
/// <item><term>RPO_EVENTS</term><description>required; events acknowledged before the failure and missing after recovery.</description></item>
/// <item><term>STARTED_AT_UTC</term><description>optional; when the failure was injected (2026-02-11T08:30:00Z).</description></item>
/// <item><term>RECOVERED_AT_UTC</term><description>optional; when service was recovered. With STARTED_AT_UTC, must span RTO_SECONDS to within 1 s.</description></item>
/// <item><term>EVENTS_BEFORE</term><description>optional; events acknowledged in the WAL before the failure.</description></item>
/// <item><term>EVENTS_AFTER</term><description>optional; events present after replaying the WAL. With EVENTS_BEFORE, RPO_EVENTS must equal EVENTS_BEFORE - EVENTS_AFTER.</description></item>
/// <item><term>ENVIRONMENT</term><description>optional; where the drill ran.</description></item>
/// </list>
/// Other keys are allowed and ignored; they never become facts.
/// </para>
/// </summary>
public static class WalRecoveryEvidence
{
    /// <summary>
    /// Passes when the evidence is complete and consistent, the drill passed, RTO_SECONDS &lt;=
    /// <paramref name="maxRtoSeconds"/> and RPO_EVENTS &lt;= <paramref name="maxRpoEvents"/>.
    /// </summary>
    public static EvidenceResult Verify(string evidencePath, decimal maxRtoSeconds, long maxRpoEvents)
    {
        ArgumentNullException.ThrowIfNull(evidencePath);
        var result = new EvidenceResultBuilder(EvidenceChecks.WalRecovery);
        result.Fact("max_rto_seconds", maxRtoSeconds);
        result.Fact("max_rpo_events", maxRpoEvents);
        if (maxRtoSeconds < 0 || maxRpoEvents < 0)
        {
            result.Fail(EvidenceReasonCodes.WalThresholdInvalid, "RTO and RPO maxima must not be negative");
        }

        var values = EnvEvidenceFile.Read(evidencePath, DrillCodes.Wal, result);
        if (values is null)
        {
            return result.Build("");
        }

        var fields = new DrillFields(values, DrillCodes.Wal, result);
        var drillId = fields.Text("DRILL_ID", required: true);
        var status = fields.PassFail("STATUS", required: true);
        var rto = fields.Decimal("RTO_SECONDS", required: true);
        var rpo = fields.Count("RPO_EVENTS", required: true);
        var started = fields.Timestamp("STARTED_AT_UTC", required: false);
        var recovered = fields.Timestamp("RECOVERED_AT_UTC", required: false);
        var before = fields.Count("EVENTS_BEFORE", required: false);
        var after = fields.Count("EVENTS_AFTER", required: false);
        fields.Text("ENVIRONMENT", required: false);

        fields.CheckDuration("RTO_SECONDS", rto, "STARTED_AT_UTC", started, "RECOVERED_AT_UTC", recovered);
        if (before is not null && after is not null)
        {
            if (after > before)
            {
                fields.Contradiction("EVENTS_AFTER", $"EVENTS_AFTER={after} is more than EVENTS_BEFORE={before}");
            }
            else if (rpo is not null && rpo != before - after)
            {
                fields.Contradiction("RPO_EVENTS", $"RPO_EVENTS={rpo} but EVENTS_BEFORE - EVENTS_AFTER = {before - after}");
            }
        }

        fields.Report();
        if (status == false)
        {
            result.Fail(EvidenceReasonCodes.WalRecoveryFailed, $"drill {drillId} reported STATUS=FAIL");
        }

        if (rto > maxRtoSeconds && maxRtoSeconds >= 0)
        {
            result.Fail(EvidenceReasonCodes.WalRtoExceeded, string.Create(CultureInfo.InvariantCulture, $"RTO {rto} s is above the maximum {maxRtoSeconds} s"));
        }

        if (rpo > maxRpoEvents && maxRpoEvents >= 0)
        {
            result.Fail(EvidenceReasonCodes.WalRpoExceeded, string.Create(CultureInfo.InvariantCulture, $"{rpo} events lost, the maximum is {maxRpoEvents}"));
        }

        return result.Build(string.Create(CultureInfo.InvariantCulture,
            $"WAL drill {drillId} recovered in {rto} s (max {maxRtoSeconds}) losing {rpo} events (max {maxRpoEvents})"));
    }
}
