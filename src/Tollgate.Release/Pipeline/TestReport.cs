using System.Security.Cryptography;
using System.Xml;

namespace Tollgate.Release.Pipeline;

/// <summary>The two CI test report formats the Test stage reads.</summary>
public enum TestReportFormat
{
    /// <summary>JUnit XML: <c>&lt;testsuites&gt;</c> or <c>&lt;testsuite&gt;</c> (Maven Surefire, pytest, jest-junit, Gradle, ...).</summary>
    JUnit,

    /// <summary>Visual Studio / .NET TRX: <c>&lt;TestRun&gt;</c> (dotnet test --logger trx).</summary>
    Trx,
}

/// <summary>What one test case's result says about it.</summary>
public enum TestOutcome
{
    /// <summary>The test ran and passed.</summary>
    Passed,

    /// <summary>The test ran and an assertion failed.</summary>
    Failed,

    /// <summary>The test could not run to its end (an unexpected exception, a timeout, an aborted run, or any outcome the format does not call a pass).</summary>
    Error,

    /// <summary>The test did not run (skipped, ignored, not executed, inconclusive).</summary>
    Skipped,
}

/// <summary>One test case of a report: its full name (class and method, as the tool writes them) and its outcome.</summary>
public sealed record TestCaseResult(string Name, TestOutcome Outcome)
{
    /// <summary>True unless the test was skipped: only a test that ran proves anything.</summary>
    public bool Ran => Outcome != TestOutcome.Skipped;
}

/// <summary>
/// A CI test report, read by its content (never its file name): the format, the SHA-256 of its bytes and every
/// test case. Totals are counted from the test cases; <see cref="DeclaredFailing"/> keeps what the report's own
/// counters claim, because a report whose counters say a test failed must not pass even if no test case shows it.
/// </summary>
/// <param name="Format">JUnit XML or TRX.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the report's bytes, to tie the verdict to the exact file packaged.</param>
/// <param name="SizeBytes">The report's length in bytes.</param>
/// <param name="Cases">Every test case, in document order.</param>
/// <param name="DeclaredFailing">Failures plus errors as the report's top-level counters declare them (0 when it declares none).</param>
public sealed record TestReport(TestReportFormat Format, string Sha256, long SizeBytes, IReadOnlyList<TestCaseResult> Cases, int DeclaredFailing)
{
    /// <summary>16 MiB: far above any real report of a few thousand tests, low enough that a hostile file cannot exhaust memory.</summary>
    public const long DefaultMaxBytes = 16 * 1024 * 1024;

    public int Tests { get; } = Cases.Count;

    public int Passed { get; } = Cases.Count(c => c.Outcome == TestOutcome.Passed);

    public int Failed { get; } = Cases.Count(c => c.Outcome == TestOutcome.Failed);

    public int Errors { get; } = Cases.Count(c => c.Outcome == TestOutcome.Error);

    public int Skipped { get; } = Cases.Count(c => c.Outcome == TestOutcome.Skipped);

    /// <summary>Tests that ran (not skipped).</summary>
    public int Ran => Tests - Skipped;

    /// <summary>Every test case's name, in document order.</summary>
    public IEnumerable<string> Names => Cases.Select(c => c.Name);

    /// <summary>
    /// Reads <paramref name="report"/> as JUnit XML or TRX, whichever its root element says. DTDs are refused
    /// outright, so no entity is ever expanded (billion laughs) or fetched (XXE), and no resolver is set.
    /// </summary>
    /// <exception cref="PipelineException"><see cref="PipelineReasons.TestReportInvalid"/>: larger than <paramref name="maxBytes"/>, not well-formed XML, carries a DTD, neither format, or a test case without a name.</exception>
    public static TestReport Parse(byte[] report, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (report.LongLength > maxBytes)
        {
            throw Invalid($"the report is {report.LongLength} bytes, more than the limit of {maxBytes}");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(report));
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(report, writable: false), SafeSettings(maxBytes));
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                throw Invalid("the report holds no XML element");
            }

            return reader.LocalName switch
            {
                "testsuites" or "testsuite" => Build(TestReportFormat.JUnit, JUnitReportReader.Read(reader)),
                "TestRun" => Build(TestReportFormat.Trx, TrxReportReader.Read(reader)),
                var root => throw Invalid($"the root element <{root}> is neither JUnit XML (<testsuites>, <testsuite>) nor TRX (<TestRun>)"),
            };
        }
        catch (XmlException e)
        {
            throw Invalid($"the report is not well-formed XML, or carries a DTD (refused: no entity is expanded or fetched): {e.Message}");
        }

        TestReport Build(TestReportFormat format, (List<TestCaseResult> Cases, int DeclaredFailing) read) =>
            new(format, sha256, report.LongLength, read.Cases, read.DeclaredFailing);
    }

    internal static PipelineException Invalid(string problem) => new(PipelineReasons.TestReportInvalid, problem);

    private static XmlReaderSettings SafeSettings(long maxBytes) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };
}
