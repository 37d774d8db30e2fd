using Tollgate.Release.Pipeline;

namespace Tollgate.Release.Tests.Pipeline;

public sealed class TestStagePolicyTests
{
    private static readonly TestStagePolicy GatePolicy = new(["*Gate*"], MinimumTests: 3);

    [Fact]
    public void A_clean_report_with_its_gate_tests_passes()
    {
        var verdict = new TestStagePolicy(["*_gate_*", "Tollgate.Governance.Tests.ReleaseGateTests.Approval_needs_two_people(n: 1)"], MinimumTests: 5)
            .Evaluate(PipelineData.Read("dotnet-passed.trx"));

        Assert.Equal(StageVerdict.Pass, verdict.Verdict);
        Assert.Empty(verdict.ReasonCodes);
        Assert.Empty(verdict.Problems);
    }

    [Fact]
    public void Failures_and_errors_fail_the_stage_naming_the_tests()
    {
        var verdict = GatePolicy.Evaluate(PipelineData.Read("surefire-TEST-OrderRouterTest.xml"));

        Assert.Equal(StageVerdict.Fail, verdict.Verdict);
        Assert.Equal([PipelineReasons.TestFailed], verdict.ReasonCodes);
        Assert.Equal(
            ["com.example.tollgate.orders.OrderRouterTest.refusesOrderAboveNotionalCap", "com.example.tollgate.orders.OrderRouterTest.reconnectsAfterChannelDrop"],
            verdict.FailedTests);
    }

    [Fact]
    public void Only_the_first_n_failed_tests_are_named_and_the_rest_counted()
    {
        var cases = Enumerable.Range(0, 25).Select(i => $"<testcase name=\"Gate{i:00}\"><failure/></testcase>");
        var report = PipelineData.Utf8($"<testsuite>{string.Concat(cases)}</testsuite>");

        var verdict = new TestStagePolicy(["*Gate*"], MaxFailedTestsNamed: 3).Evaluate(report);

        Assert.Equal(["Gate00", "Gate01", "Gate02"], verdict.FailedTests);
        Assert.Equal(22, verdict.FailedTestsNotNamed);
    }

    [Fact]
    public void Counters_that_declare_a_failure_no_test_case_shows_fail_the_stage()
    {
        const string xml = """<testsuite tests="3" failures="1"><testcase name="Gate a"/><testcase name="b"/><testcase name="c"/></testsuite>""";

        var verdict = GatePolicy.Evaluate(PipelineData.Utf8(xml));

        Assert.Equal([PipelineReasons.TestFailed], verdict.ReasonCodes);
        Assert.Contains("counters declare 1", verdict.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_gate_test_fails_the_stage()
    {
        var verdict = new TestStagePolicy(["*Gate*", "*KillSwitch*"]).Evaluate(PipelineData.Read("jest-junit.xml"));

        Assert.Equal([PipelineReasons.TestGatesMissing], verdict.ReasonCodes);
        Assert.Equal(["*KillSwitch*"], verdict.MissingGates);
    }

    [Fact]
    public void A_skipped_gate_test_counts_as_missing()
    {
        var verdict = new TestStagePolicy(["*Ui_spec_gate*"]).Evaluate(PipelineData.Read("dotnet-passed.trx"));

        Assert.Equal([PipelineReasons.TestGatesMissing], verdict.ReasonCodes);
    }

    [Fact]
    public void An_explicit_gate_name_must_match_exactly()
    {
        var exact = new TestStagePolicy(["tests.test_gates.test_version_audit_gate_rejects_unsigned_map"]);
        var prefixOnly = new TestStagePolicy(["tests.test_gates.test_version_audit_gate"]);
        var report = TestReport.Parse(PipelineData.Read("pytest-junit.xml"));

        Assert.Empty(exact.Evaluate(report).MissingGates);
        Assert.Equal(["tests.test_gates.test_version_audit_gate"], prefixOnly.Evaluate(report).MissingGates);
    }

    [Fact]
    public void A_report_without_tests_is_empty()
    {
        var verdict = GatePolicy.Evaluate(PipelineData.Utf8("<testsuites name=\"jest tests\" tests=\"0\"></testsuites>"));

        Assert.Contains(PipelineReasons.TestEmpty, verdict.ReasonCodes);
        Assert.DoesNotContain(PipelineReasons.TestTooFew, verdict.ReasonCodes);
    }

    [Fact]
    public void A_report_where_every_test_was_skipped_is_empty()
    {
        var verdict = new TestStagePolicy([]).Evaluate(PipelineData.Utf8("<testsuite><testcase name=\"a\"><skipped/></testcase></testsuite>"));

        Assert.Equal([PipelineReasons.TestEmpty], verdict.ReasonCodes);
    }

    [Fact]
    public void Fewer_tests_than_the_minimum_fail_the_stage()
    {
        var report = TestReport.Parse(PipelineData.Read("jest-junit.xml"));

        Assert.Equal(StageVerdict.Pass, new TestStagePolicy(["*Gate*"], MinimumTests: 4).Evaluate(report).Verdict);
        Assert.Equal([PipelineReasons.TestTooFew], new TestStagePolicy(["*Gate*"], MinimumTests: 5).Evaluate(report).ReasonCodes);
    }

    [Fact]
    public void An_unreadable_report_is_a_verdict_not_an_exception()
    {
        var bytes = PipelineData.Utf8("<!DOCTYPE x [<!ENTITY a \"b\">]><testsuite/>");

        var verdict = GatePolicy.Evaluate(bytes);

        Assert.Equal([PipelineReasons.TestReportInvalid], verdict.ReasonCodes);
        Assert.Null(verdict.Report);
        Assert.Equal(bytes.Length, verdict.ReportSizeBytes);
        Assert.Null(verdict.ToJson()["report"]!["tests"]);
    }

    [Fact]
    public void The_policy_size_limit_applies()
    {
        var bytes = PipelineData.Read("jest-junit.xml");

        var verdict = new TestStagePolicy(["*Gate*"], MaxReportBytes: 100).Evaluate(bytes);

        Assert.Equal([PipelineReasons.TestReportInvalid], verdict.ReasonCodes);
    }

    [Fact]
    public void One_verdict_lists_every_reason()
    {
        var verdict = new TestStagePolicy(["*Gate*"], MinimumTests: 10).Evaluate(PipelineData.Read("pytest-junit.xml"));

        Assert.Equal([PipelineReasons.TestTooFew, PipelineReasons.TestFailed, PipelineReasons.TestGatesMissing], verdict.ReasonCodes);
    }

    [Fact]
    public void The_json_form_is_deterministic_and_complete()
    {
        var bytes = PipelineData.Read("surefire-TEST-OrderRouterTest.xml");

        var first = GatePolicy.Evaluate(bytes).ToJson();
        var second = GatePolicy.Evaluate(bytes).ToJson();

        Assert.Equal(PipelineData.Canonical(first), PipelineData.Canonical(second));
        Assert.Equal(
            ["stage", "verdict", "reason_codes", "problems", "report", "failed_tests", "failed_tests_not_named", "missing_gates", "policy"],
            first.Select(member => member.Key));
        Assert.Equal("FAIL", (string?)first["verdict"]);
        Assert.Equal("junit", (string?)first["report"]!["format"]);
        Assert.Equal(1, (int?)first["report"]!["failed"]);
        Assert.Equal(1, (int?)first["report"]!["errors"]);
        Assert.Equal(TestReport.Parse(bytes).Sha256, (string?)first["report"]!["sha256"]);
    }

    [Fact]
    public void Policy_values_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestStagePolicy([], MinimumTests: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestStagePolicy([], MaxReportBytes: 0));
        Assert.Throws<ArgumentException>(() => new TestStagePolicy([" "]));
    }

    [Theory]
    [InlineData("*Gate*", "ReleaseGateTest.a", true)]
    [InlineData("*Gate*", "releasegatetest.a", false)]
    [InlineData("Gate", "Gate", true)]
    [InlineData("Gate", "GateTest", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*.test_*[seed-?]", "tests.test_replay.test_x[seed-2]", true)]
    [InlineData("*a*b*c", "xaybzc", true)]
    [InlineData("*a*b*c", "xaybzcd", false)]
    [InlineData("**", "", true)]
    public void Gate_patterns_match_with_star_and_question_mark(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, TestNamePattern.Matches(pattern, name));
    }
}
