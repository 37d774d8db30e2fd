using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// Checks the evidence of a deploy/rollback drill against the rollback time limit and the
/// post-rollback health check (the counterpart of
/// <c>verify_deploy_rollback_evidence.py --max-rollback-seconds</c>).
/// <para>
/// The evidence file is .env style (see <c>Vectors/deploy_rollback_result.env</c> in the tests):
/// <list type="table">
/// <item><term>DRILL_ID</term><description>required; the drill's identifier.</description></item>
/// <item><term>ENVIRONMENT</term><description>required; where the drill ran (staging, paper, ...).</description></item>
/// <item><term>FROM_VERSION</term><description>required; the version rolled back from (the one deployed for the drill).</description></item>
/// <item><term>TO_VERSION</term><description>required; the version rolled back to. Must differ from FROM_VERSION.</description></item>
/// <item><term>ROLLBACK_SECONDS</term><description>required; measured rollback duration, decimal seconds.</description></item>
/// <item><term>HEALTH_CHECK</term><description>required; PASS or FAIL, the health check run on TO_VERSION after the rollback.</description></item>
/// <item><term>ROLLBACK_STARTED_AT_UTC</term><description>optional; when the rollback began (2026-02-11T09:00:00Z).</description></item>
/// <item><term>ROLLBACK_COMPLETED_AT_UTC</term><description>optional; when it completed. With the start, must span ROLLBACK_SECONDS to within 1 s.</description></item>
/// <item><term>DEPLOY_SECONDS</term><description>optional; how long the deploy of FROM_VERSION took; reported, not judged.</description></item>
/// </list>
/// Other keys are allowed and ignored; they never become facts.
/// </para>
/// </summary>
public static class RollbackDrillEvidence
{
    /// <summary>
    /// Passes when the evidence is complete and consistent, HEALTH_CHECK=PASS and ROLLBACK_SECONDS
    /// &lt;= <paramref name="maxRollbackSeconds"/>.
    /// </summary>
    public static EvidenceResult Verify(string evidencePath, decimal maxRollbackSeconds)
    {
        ArgumentNullException.ThrowIfNull(evidencePath);
        var result = new EvidenceResultBuilder(EvidenceChecks.RollbackDrill);
        result.Fact("max_rollback_seconds", maxRollbackSeconds);
        if (maxRollbackSeconds < 0)
        {
            result.Fail(EvidenceReasonCodes.RollbackThresholdInvalid, "the rollback time limit must not be negative");
        }

        var values = EnvEvidenceFile.Read(evidencePath, DrillCodes.Rollback, result);
        if (values is null)
        {
            return result.Build("");
        }

        var fields = new DrillFields(values, DrillCodes.Rollback, result);
        var drillId = fields.Text("DRILL_ID", required: true);
        var environment = fields.Text("ENVIRONMENT", required: true);
        var from = fields.Version("FROM_VERSION", required: true);
        var to = fields.Version("TO_VERSION", required: true);
        var seconds = fields.Decimal("ROLLBACK_SECONDS", required: true);
        var health = fields.PassFail("HEALTH_CHECK", required: true);
        var started = fields.Timestamp("ROLLBACK_STARTED_AT_UTC", required: false);
        var completed = fields.Timestamp("ROLLBACK_COMPLETED_AT_UTC", required: false);
        fields.Decimal("DEPLOY_SECONDS", required: false);

        fields.CheckDuration("ROLLBACK_SECONDS", seconds, "ROLLBACK_STARTED_AT_UTC", started, "ROLLBACK_COMPLETED_AT_UTC", completed);
        if (from is not null && from == to)
        {
            fields.Contradiction("TO_VERSION", $"FROM_VERSION and TO_VERSION are both {from}: nothing was rolled back");
        }

        fields.Report();
        if (health == false)
        {
            result.Fail(EvidenceReasonCodes.RollbackHealthFail, $"the health check on {to} after the rollback reported FAIL");
        }

        if (seconds > maxRollbackSeconds && maxRollbackSeconds >= 0)
        {
            result.Fail(EvidenceReasonCodes.RollbackTimeExceeded, string.Create(CultureInfo.InvariantCulture, $"rollback took {seconds} s, the maximum is {maxRollbackSeconds} s"));
        }

        return result.Build(string.Create(CultureInfo.InvariantCulture,
            $"rollback drill {drillId} on {environment}: {from} -> {to} in {seconds} s (max {maxRollbackSeconds}), health check PASS"));
    }
}
