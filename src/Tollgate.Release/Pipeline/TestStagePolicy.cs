using System.Security.Cryptography;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// What the Test stage (seed 000 §6.1 step 2: unit, integration and compliance tests, gate tests included)
/// requires of the CI test report before a release may be packaged.
/// </summary>
/// <param name="RequiredGates">
/// Name patterns (<c>*</c> and <c>?</c> wildcards, e.g. <c>*Gate*</c>, or exact names) of which each must match at
/// least one test that ran: a gate test that is missing or skipped has not vouched for anything.
/// </param>
/// <param name="MinimumTests">The fewest tests that must have run (skipped ones do not count).</param>
/// <param name="MaxFailedTestsNamed">How many failed tests the verdict names; the rest are counted, so the ledger entry stays small.</param>
/// <param name="MaxReportBytes">The largest report read.</param>
public sealed record TestStagePolicy(
    IReadOnlyList<string> RequiredGates,
    int MinimumTests = 1,
    int MaxFailedTestsNamed = 10,
    long MaxReportBytes = TestReport.DefaultMaxBytes)
{
    // Test names are written into the ledger entry; past this they are cut, so one absurd name cannot fill it.
    private const int MaxNameLength = 256;

    public IReadOnlyList<string> RequiredGates { get; } = CheckGates(RequiredGates);

    public int MinimumTests { get; } = MinimumTests >= 0 ? MinimumTests : throw new ArgumentOutOfRangeException(nameof(MinimumTests), MinimumTests, "must be 0 or more");

    public int MaxFailedTestsNamed { get; } = MaxFailedTestsNamed >= 0 ? MaxFailedTestsNamed : throw new ArgumentOutOfRangeException(nameof(MaxFailedTestsNamed), MaxFailedTestsNamed, "must be 0 or more");

    public long MaxReportBytes { get; } = MaxReportBytes > 0 ? MaxReportBytes : throw new ArgumentOutOfRangeException(nameof(MaxReportBytes), MaxReportBytes, "must be positive");

    /// <summary>Reads <paramref name="report"/> and judges it; an unreadable report is a FAIL with <see cref="PipelineReasons.TestReportInvalid"/>, never an exception.</summary>
    public TestStageVerdict Evaluate(byte[] report)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            return Evaluate(TestReport.Parse(report, MaxReportBytes));
        }
        catch (PipelineException e) when (e.Code == PipelineReasons.TestReportInvalid)
        {
            var findings = new StageFindings();
            findings.Fail(e.Code, e.Problem);
            return new TestStageVerdict(findings.Verdict, findings.Codes, findings.Problems, this,
                Convert.ToHexStringLower(SHA256.HashData(report)), report.LongLength, null, [], 0, []);
        }
    }

    /// <summary>
    /// Judges a parsed report. Every rule is checked, so one verdict lists every reason the release stops:
    /// no test ran → EMPTY; fewer than <see cref="MinimumTests"/> ran → TOO-FEW; any failure or error, by test case
    /// or by the report's counters → FAILED; a required gate pattern matching no test that ran → GATES-MISSING.
    /// </summary>
    public TestStageVerdict Evaluate(TestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var findings = new StageFindings();
        if (report.Ran == 0)
        {
            findings.Fail(PipelineReasons.TestEmpty, report.Tests == 0 ? "the report holds no test" : $"all {report.Tests} tests were skipped");
        }
        else if (report.Ran < MinimumTests)
        {
            findings.Fail(PipelineReasons.TestTooFew, $"{report.Ran} tests ran, the policy requires at least {MinimumTests}");
        }

        var failed = report.Cases.Where(c => c.Outcome is TestOutcome.Failed or TestOutcome.Error).Select(c => c.Name).ToList();
        if (failed.Count > 0)
        {
            findings.Fail(PipelineReasons.TestFailed, $"{report.Failed} tests failed and {report.Errors} errored");
        }

        if (report.DeclaredFailing > failed.Count)
        {
            findings.Fail(PipelineReasons.TestFailed,
                $"the report's counters declare {report.DeclaredFailing} failing tests, its test cases show {failed.Count}");
        }

        var missing = RequiredGates.Where(gate => !report.Cases.Any(c => c.Ran && TestNamePattern.Matches(gate, c.Name))).ToList();
        if (missing.Count > 0)
        {
            findings.Fail(PipelineReasons.TestGatesMissing, $"no test that ran matches the required gate pattern(s) {string.Join(", ", missing)}");
        }

        var named = failed.Take(MaxFailedTestsNamed).Select(Shorten).ToList();
        return new TestStageVerdict(findings.Verdict, findings.Codes, findings.Problems, this,
            report.Sha256, report.SizeBytes, report, named, failed.Count - named.Count, missing);
    }

    private static string Shorten(string name) => name.Length <= MaxNameLength ? name : name[..MaxNameLength] + "…";

    private static IReadOnlyList<string> CheckGates(IReadOnlyList<string> gates)
    {
        ArgumentNullException.ThrowIfNull(gates, nameof(RequiredGates));
        return gates.All(gate => !string.IsNullOrWhiteSpace(gate))
            ? [.. gates]
            : throw new ArgumentException("a required gate pattern is empty", nameof(RequiredGates));
    }
}
