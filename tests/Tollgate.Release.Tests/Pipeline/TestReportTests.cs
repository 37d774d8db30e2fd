using System.Security.Cryptography;
using Tollgate.Release.Pipeline;

namespace Tollgate.Release.Tests.Pipeline;

public sealed class TestReportTests
{
    // XmlReader's own words when DtdProcessing.Prohibit stops a document at its DOCTYPE: the refusal is the
    // reader's, before any entity is declared, not a later limit or an undeclared-entity error.
    private const string DtdRefused = "DTD is prohibited";

    [Fact]
    public void Reads_a_dotnet_trx_run_with_a_failure_and_a_skip()
    {
        var bytes = PipelineData.Read("dotnet-failed.trx");

        var report = TestReport.Parse(bytes);

        Assert.Equal(TestReportFormat.Trx, report.Format);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), report.Sha256);
        Assert.Equal(bytes.LongLength, report.SizeBytes);
        Assert.Equal((6, 4, 1, 0, 1), (report.Tests, report.Passed, report.Failed, report.Errors, report.Skipped));
        Assert.Equal(1, report.DeclaredFailing);
        Assert.Contains("Tollgate.Governance.Tests.ReleaseGateTests.Approval_needs_two_people(n: 2)", report.Names);
        Assert.Equal(TestOutcome.Failed, report.Cases.Single(c => c.Name.EndsWith("Execution_control_gate_requires_kill_switch_preflight", StringComparison.Ordinal)).Outcome);
        Assert.Equal(TestOutcome.Skipped, report.Cases.Single(c => c.Name.EndsWith("Ui_spec_gate_shows_reason_codes", StringComparison.Ordinal)).Outcome);
    }

    [Fact]
    public void Reads_a_passing_dotnet_trx_run()
    {
        var report = TestReport.Parse(PipelineData.Read("dotnet-passed.trx"));

        Assert.Equal((6, 5, 0, 0, 1, 0), (report.Tests, report.Passed, report.Failed, report.Errors, report.Skipped, report.DeclaredFailing));
    }

    [Fact]
    public void Reads_surefire_with_a_flaky_pass_and_a_skip()
    {
        var report = TestReport.Parse(PipelineData.Read("surefire-TEST-ReleaseGateTest.xml"));

        Assert.Equal(TestReportFormat.JUnit, report.Format);
        Assert.Equal((5, 4, 0, 0, 1, 0), (report.Tests, report.Passed, report.Failed, report.Errors, report.Skipped, report.DeclaredFailing));
        Assert.Equal(TestOutcome.Passed, report.Cases.Single(c => c.Name == "com.example.tollgate.gates.ReleaseGateTest.executionControlGateRequiresKillSwitchPreflight").Outcome);
        Assert.Contains("com.example.tollgate.gates.ApprovalTest.approvalNeedsTwoPeople", report.Names);
    }

    [Fact]
    public void Reads_surefire_failures_and_errors_with_reruns()
    {
        var report = TestReport.Parse(PipelineData.Read("surefire-TEST-OrderRouterTest.xml"));

        Assert.Equal((4, 2, 1, 1, 0, 2), (report.Tests, report.Passed, report.Failed, report.Errors, report.Skipped, report.DeclaredFailing));
        Assert.Equal(TestOutcome.Failed, report.Cases.Single(c => c.Name.EndsWith("refusesOrderAboveNotionalCap", StringComparison.Ordinal)).Outcome);
        Assert.Equal(TestOutcome.Error, report.Cases.Single(c => c.Name.EndsWith("reconnectsAfterChannelDrop", StringComparison.Ordinal)).Outcome);
    }

    [Fact]
    public void Reads_pytest_junit()
    {
        var report = TestReport.Parse(PipelineData.Read("pytest-junit.xml"));

        Assert.Equal(TestReportFormat.JUnit, report.Format);
        Assert.Equal((5, 3, 1, 0, 1, 1), (report.Tests, report.Passed, report.Failed, report.Errors, report.Skipped, report.DeclaredFailing));
        Assert.Contains("tests.test_replay.test_replay_is_deterministic[seed-2]", report.Names);
    }

    [Fact]
    public void Reads_jest_junit_without_doubling_the_class_name()
    {
        var report = TestReport.Parse(PipelineData.Read("jest-junit.xml"));

        Assert.Equal((4, 4, 0), (report.Tests, report.Passed, report.DeclaredFailing));
        Assert.Contains("Gate panel shows the VETO reason codes", report.Names);
    }

    [Fact]
    public void Format_comes_from_the_content_not_a_name()
    {
        // The same bytes whatever the file was called: Parse never sees a name, and the root element decides.
        Assert.Equal(TestReportFormat.Trx, TestReport.Parse(PipelineData.Read("dotnet-passed.trx")).Format);
        Assert.Equal(TestReportFormat.JUnit, TestReport.Parse(PipelineData.Utf8("<testsuite name=\"s\"><testcase name=\"t\"/></testsuite>")).Format);
        Assert.Equal(TestReportFormat.Trx, TestReport.Parse(PipelineData.Utf8("<TestRun><Results><UnitTestResult testName=\"t\" outcome=\"Passed\"/></Results></TestRun>")).Format);
    }

    [Fact]
    public void Nested_suites_count_every_case_and_the_larger_of_parent_and_child_counters()
    {
        const string xml = """
            <testsuites tests="3" failures="0">
              <testsuite name="outer" failures="0">
                <testsuite name="inner" failures="1"><testcase name="a"/><testcase name="b"/></testsuite>
              </testsuite>
              <testsuite name="second"><testcase name="c"/></testsuite>
            </testsuites>
            """;

        var report = TestReport.Parse(PipelineData.Utf8(xml));

        Assert.Equal(3, report.Tests);
        Assert.Equal(1, report.DeclaredFailing);
    }

    [Theory]
    [InlineData("Timeout", TestOutcome.Error)]
    [InlineData("Aborted", TestOutcome.Error)]
    [InlineData("PassedButRunAborted", TestOutcome.Error)]
    [InlineData("Warning", TestOutcome.Error)]
    [InlineData("SomethingNew", TestOutcome.Error)]
    [InlineData("NotExecuted", TestOutcome.Skipped)]
    [InlineData("Inconclusive", TestOutcome.Skipped)]
    [InlineData("Passed", TestOutcome.Passed)]
    [InlineData("Failed", TestOutcome.Failed)]
    public void Trx_outcomes_other_than_passed_never_count_as_passed(string outcome, TestOutcome expected)
    {
        var xml = $"<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"><Results><UnitTestResult testName=\"t\" outcome=\"{outcome}\"/></Results></TestRun>";

        Assert.Equal(expected, TestReport.Parse(PipelineData.Utf8(xml)).Cases.Single().Outcome);
    }

    [Fact]
    public void An_aborted_trx_run_declares_a_failure_even_with_clean_counters()
    {
        const string xml = """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results><UnitTestResult testName="a" outcome="Passed"/></Results>
              <ResultSummary outcome="Aborted"><Counters total="40" executed="1" passed="1" failed="0" error="0"/></ResultSummary>
            </TestRun>
            """;

        Assert.Equal(1, TestReport.Parse(PipelineData.Utf8(xml)).DeclaredFailing);
    }

    [Fact]
    public void Data_driven_inner_results_are_not_counted_twice()
    {
        const string xml = """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
              <UnitTestResult testName="rows" outcome="Failed"><InnerResults>
                <UnitTestResult testName="rows (1)" outcome="Passed"/><UnitTestResult testName="rows (2)" outcome="Failed"/>
              </InnerResults></UnitTestResult>
            </Results></TestRun>
            """;

        var report = TestReport.Parse(PipelineData.Utf8(xml));

        Assert.Equal(["rows"], report.Names);
    }

    [Fact]
    public void Billion_laughs_is_refused_without_expanding_anything()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE testsuite [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <testsuite name="lolz"><testcase name="&lol9;"/></testsuite>
            """;

        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(PipelineData.Utf8(xml)));

        Assert.Equal(PipelineReasons.TestReportInvalid, e.Code);
        Assert.Contains(DtdRefused, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lollollol", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_entity_is_refused_and_the_file_never_read()
    {
        using var scratch = new ScratchDirectory();
        var secretFile = scratch.Write("host-secret.txt", PipelineData.Utf8("XXE-MARKER-5f1c0e"));
        var xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE testsuite [ <!ENTITY xxe SYSTEM "{new Uri(secretFile).AbsoluteUri}"> ]>
            <testsuite name="xxe"><testcase name="&xxe;"/></testsuite>
            """;

        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(PipelineData.Utf8(xml)));

        Assert.Equal(PipelineReasons.TestReportInvalid, e.Code);
        Assert.Contains(DtdRefused, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("XXE-MARKER", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_dtd_is_refused_without_a_fetch()
    {
        // Port 1 on loopback: were the DTD fetched, the parse would fail with a connection error, not the DTD refusal.
        const string xml = """<?xml version="1.0"?><!DOCTYPE TestRun SYSTEM "http://127.0.0.1:1/evil.dtd"><TestRun/>""";

        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(PipelineData.Utf8(xml)));

        Assert.Contains(DtdRefused, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"tests\": 3, \"failures\": 0}")]
    [InlineData("<testsuite name=\"cut\"><testcase name=\"a\">")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("<testsuite><testcase classname=\"no.name\"/></testsuite>")]
    [InlineData("<testsuite failures=\"many\"><testcase name=\"a\"/></testsuite>")]
    [InlineData("<TestRun><Results><UnitTestResult testName=\"t\"/></Results></TestRun>")]
    [InlineData("<TestRun><ResultSummary><Counters failed=\"-1\"/></ResultSummary></TestRun>")]
    public void Anything_but_a_well_formed_report_is_invalid(string text)
    {
        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(PipelineData.Utf8(text)));

        Assert.Equal(PipelineReasons.TestReportInvalid, e.Code);
    }

    [Fact]
    public void Binary_bytes_are_invalid()
    {
        var e = Assert.Throws<PipelineException>(() => TestReport.Parse([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00]));

        Assert.Equal(PipelineReasons.TestReportInvalid, e.Code);
    }

    [Fact]
    public void A_report_over_the_limit_is_refused_before_it_is_parsed()
    {
        var bytes = PipelineData.Read("jest-junit.xml");

        Assert.Equal(4, TestReport.Parse(bytes, maxBytes: bytes.Length).Tests);
        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(bytes, maxBytes: bytes.Length - 1));
        Assert.Equal(PipelineReasons.TestReportInvalid, e.Code);
    }

    [Fact]
    public void The_default_limit_is_16_MiB()
    {
        var oversized = new byte[TestReport.DefaultMaxBytes + 1];

        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(oversized));

        Assert.Contains("16777217 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_nesting_is_refused_rather_than_overflowing_the_stack()
    {
        var xml = string.Concat(Enumerable.Repeat("<testsuite>", 100_000)) + string.Concat(Enumerable.Repeat("</testsuite>", 100_000));

        var e = Assert.Throws<PipelineException>(() => TestReport.Parse(PipelineData.Utf8(xml)));

        Assert.Contains("nested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_counters_saturate_instead_of_wrapping_to_zero_or_below()
    {
        const string xml = """<testsuite failures="2147483647" errors="2147483647"><testcase name="a"/></testsuite>""";

        Assert.Equal(int.MaxValue, TestReport.Parse(PipelineData.Utf8(xml)).DeclaredFailing);
    }
}
