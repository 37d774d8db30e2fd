using System.Xml;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// Reads JUnit XML as Maven Surefire, pytest, jest-junit and Gradle write it: <c>&lt;testsuites&gt;</c> or a single
/// <c>&lt;testsuite&gt;</c>, suites nested to any reasonable depth, <c>&lt;testcase name classname&gt;</c> with
/// <c>&lt;failure&gt;</c>, <c>&lt;error&gt;</c> or <c>&lt;skipped&gt;</c> children. Surefire's <c>flakyFailure</c> and
/// <c>flakyError</c> (failed, then passed on a rerun) leave the test passed; its <c>rerunFailure</c> comes with a
/// <c>failure</c>, which decides.
/// </summary>
internal static class JUnitReportReader
{
    // Real reports nest two or three levels; the limit keeps a hostile file from exhausting the stack.
    private const int MaxSuiteDepth = 32;

    public static (List<TestCaseResult> Cases, int DeclaredFailing) Read(XmlReader reader)
    {
        var cases = new List<TestCaseResult>();
        var declared = Suite(reader, cases, depth: 1);
        return (cases, declared);
    }

    /// <summary>
    /// Reads one suite (or the <c>testsuites</c> root) and returns the failures plus errors its counters declare:
    /// the larger of its own counters and the sum of its child suites', so neither an aggregate that forgot its
    /// children nor children that contradict their parent can hide a failure.
    /// </summary>
    private static int Suite(XmlReader reader, List<TestCaseResult> cases, int depth)
    {
        if (depth > MaxSuiteDepth)
        {
            throw TestReport.Invalid($"test suites are nested more than {MaxSuiteDepth} deep");
        }

        var own = XmlReports.Sum([XmlReports.Counter(reader, "failures"), XmlReports.Counter(reader, "errors")]);
        var children = 0;
        XmlReports.ForEachChild(reader, child =>
        {
            switch (child.LocalName)
            {
                case "testsuite":
                    children = XmlReports.Sum([children, Suite(child, cases, depth + 1)]);
                    break;
                case "testcase":
                    cases.Add(Case(child));
                    break;
                default:
                    child.Skip();
                    break;
            }
        });
        return Math.Max(own, children);
    }

    private static TestCaseResult Case(XmlReader reader)
    {
        var name = XmlReports.Required(reader, "name");
        var className = reader.GetAttribute("classname");

        // jest-junit's default templates put the class name in the name too; do not write it twice.
        var fullName = string.IsNullOrEmpty(className) || name.StartsWith(className, StringComparison.Ordinal) ? name : $"{className}.{name}";
        bool failed = false, error = false, skipped = false;
        XmlReports.ForEachChild(reader, child =>
        {
            switch (child.LocalName)
            {
                case "failure":
                    failed = true;
                    break;
                case "error":
                    error = true;
                    break;
                case "skipped":
                    skipped = true;
                    break;
            }

            child.Skip();
        });
        var outcome = error ? TestOutcome.Error : failed ? TestOutcome.Failed : skipped ? TestOutcome.Skipped : TestOutcome.Passed;
        return new TestCaseResult(fullName, outcome);
    }
}
