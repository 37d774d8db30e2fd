using System.Text.Json.Nodes;

namespace Tollgate.Release.Pipeline;

/// <summary>The Test stage's verdict on one CI test report, shaped for the audit ledger.</summary>
/// <param name="Verdict">PASS exactly when <paramref name="ReasonCodes"/> is empty.</param>
/// <param name="ReasonCodes">Codes of <see cref="PipelineReasons"/>, each once, in the order found.</param>
/// <param name="Problems">One sentence per problem found; the codes, not these, are the contract.</param>
/// <param name="Policy">The policy judged against.</param>
/// <param name="ReportSha256">SHA-256 of the report's bytes, known even when the report could not be read.</param>
/// <param name="ReportSizeBytes">The report's length in bytes.</param>
/// <param name="Report">The parsed report; null when it was refused (<see cref="PipelineReasons.TestReportInvalid"/>).</param>
/// <param name="FailedTests">The first <see cref="TestStagePolicy.MaxFailedTestsNamed"/> failed or errored tests, by name.</param>
/// <param name="FailedTestsNotNamed">How many more failed or errored tests there are.</param>
/// <param name="MissingGates">The required gate patterns no test that ran matched.</param>
public sealed record TestStageVerdict(
    StageVerdict Verdict,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<string> Problems,
    TestStagePolicy Policy,
    string ReportSha256,
    long ReportSizeBytes,
    TestReport? Report,
    IReadOnlyList<string> FailedTests,
    int FailedTestsNotNamed,
    IReadOnlyList<string> MissingGates)
{
    /// <summary>
    /// <c>{stage:"test", verdict, reason_codes, problems, report:{sha256, size_bytes, format, tests, passed, failed,
    /// errors, skipped, declared_failing}, failed_tests, failed_tests_not_named, missing_gates, policy:{required_gates,
    /// minimum_tests, max_failed_tests_named, max_report_bytes}}</c>; the counts and format are null when the report was refused. Members in
    /// this fixed order; the same verdict always gives the same JSON.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = StageJson.Start("test", Verdict, ReasonCodes, Problems);
        json["report"] = new JsonObject
        {
            ["sha256"] = ReportSha256,
            ["size_bytes"] = ReportSizeBytes,
            ["format"] = Report?.Format switch
            {
                TestReportFormat.JUnit => "junit",
                TestReportFormat.Trx => "trx",
                _ => null,
            },
            ["tests"] = Report?.Tests,
            ["passed"] = Report?.Passed,
            ["failed"] = Report?.Failed,
            ["errors"] = Report?.Errors,
            ["skipped"] = Report?.Skipped,
            ["declared_failing"] = Report?.DeclaredFailing,
        };
        json["failed_tests"] = StageJson.Strings(FailedTests);
        json["failed_tests_not_named"] = FailedTestsNotNamed;
        json["missing_gates"] = StageJson.Strings(MissingGates);
        json["policy"] = new JsonObject
        {
            ["required_gates"] = StageJson.Strings(Policy.RequiredGates),
            ["minimum_tests"] = Policy.MinimumTests,
            ["max_failed_tests_named"] = Policy.MaxFailedTestsNamed,
            ["max_report_bytes"] = Policy.MaxReportBytes,
        };
        return json;
    }
}
