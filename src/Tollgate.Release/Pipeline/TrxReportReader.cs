using System.Xml;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// Reads a TRX file (<c>dotnet test --logger trx</c>, Visual Studio, MSTest, NUnit and xUnit adapters): every
/// result element under <c>Results</c> (<c>UnitTestResult</c> and its kin) by <c>testName</c> and <c>outcome</c>, and
/// the <c>ResultSummary</c>'s run outcome and <c>Counters</c>. Data-driven rows (<c>InnerResults</c>) are not counted
/// again: their parent's outcome already says whether any row failed.
/// </summary>
internal static class TrxReportReader
{
    // Counters that mean a test did not pass although it was meant to run.
    private static readonly string[] FailingCounters = ["failed", "error", "timeout", "aborted", "disconnected", "passedButRunAborted"];

    // ResultSummary outcomes of a run that did not complete cleanly.
    private static readonly string[] FailedRunOutcomes = ["Failed", "Error", "Aborted", "Timeout"];

    public static (List<TestCaseResult> Cases, int DeclaredFailing) Read(XmlReader reader)
    {
        var cases = new List<TestCaseResult>();
        var declared = 0;
        XmlReports.ForEachChild(reader, child =>
        {
            switch (child.LocalName)
            {
                case "Results":
                    XmlReports.ForEachChild(child, result =>
                    {
                        cases.Add(new TestCaseResult(XmlReports.Required(result, "testName"), Outcome(XmlReports.Required(result, "outcome"))));
                        result.Skip();
                    });
                    break;
                case "ResultSummary":
                    declared = Math.Max(declared, Summary(child));
                    break;
                default:
                    child.Skip();
                    break;
            }
        });
        return (cases, declared);
    }

    /// <summary>
    /// TRX outcomes: only Passed is a pass; NotExecuted, NotRunnable and Inconclusive did not run; every other
    /// outcome (Error, Timeout, Aborted, PassedButRunAborted, Disconnected, Warning, Completed, InProgress, Pending,
    /// or one this reader does not know) is an error, because a gate may not count as passed what does not say so.
    /// </summary>
    private static TestOutcome Outcome(string outcome)
    {
        if (Is(outcome, "Passed"))
        {
            return TestOutcome.Passed;
        }

        if (Is(outcome, "Failed"))
        {
            return TestOutcome.Failed;
        }

        return Is(outcome, "NotExecuted") || Is(outcome, "NotRunnable") || Is(outcome, "Inconclusive") ? TestOutcome.Skipped : TestOutcome.Error;
    }

    private static int Summary(XmlReader reader)
    {
        var runOutcome = reader.GetAttribute("outcome") ?? "";
        var declared = 0;
        XmlReports.ForEachChild(reader, child =>
        {
            if (child.LocalName == "Counters")
            {
                declared = XmlReports.Sum(FailingCounters.Select(name => XmlReports.Counter(child, name)));
            }

            child.Skip();
        });
        return FailedRunOutcomes.Any(failed => Is(runOutcome, failed)) ? Math.Max(declared, 1) : declared;
    }

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
