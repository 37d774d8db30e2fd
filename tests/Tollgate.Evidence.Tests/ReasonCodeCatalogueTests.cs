using System.Reflection;
using System.Text.RegularExpressions;

namespace Tollgate.Evidence.Tests;

public sealed partial class ReasonCodeCatalogueTests
{
    [GeneratedRegex("\"((?:REL|DR|RB)-[A-Z0-9-]+)\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex("^(REL|DR|RB)-[A-Z0-9]+(-[A-Z0-9]+)*$")]
    private static partial Regex CodeShape();

    public static TheoryData<string> Codes => new(EvidenceReasonCodes.Meanings.Keys);

    [Fact]
    public void The_constants_and_the_table_hold_the_same_codes_each_once()
    {
        var constants = typeof(EvidenceReasonCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(constants.Count, constants.Distinct().Count());
        Assert.Equal(constants.Order(StringComparer.Ordinal), EvidenceReasonCodes.Meanings.Keys.Order(StringComparer.Ordinal));
        Assert.All(constants, code => Assert.Matches(CodeShape(), code));
        Assert.All(EvidenceReasonCodes.Meanings.Values, meaning => Assert.False(string.IsNullOrWhiteSpace(meaning)));
    }

    [Fact]
    public void Every_code_written_anywhere_in_the_library_is_in_the_catalogue()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", "Tollgate.Evidence"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(sources);

        foreach (var path in sources)
        {
            foreach (Match match in CodeLiteral().Matches(File.ReadAllText(path)))
            {
                Assert.True(EvidenceReasonCodes.Meanings.ContainsKey(match.Groups[1].Value), $"{match.Groups[1].Value} in {path} is not catalogued");
                Assert.EndsWith("EvidenceReasonCodes.cs", path);
            }
        }
    }

    [Fact]
    public void Every_catalogued_code_has_a_scenario_that_produces_it()
    {
        Assert.Equal(
            EvidenceReasonCodes.Meanings.Keys.Order(StringComparer.Ordinal),
            ReasonCodeScenarios.All.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void The_scenario_produces_its_code(string code)
    {
        using var dir = new TempDir();
        var result = ReasonCodeScenarios.All[code](dir);

        Expect.Failed(result, code);
        Assert.Equal(code[..code.IndexOf('-')] switch
        {
            "REL" => "release.",
            "DR" => "dr.",
            _ => "ops.",
        }, result.Check[..(result.Check.IndexOf('.') + 1)]);
    }

    [Fact]
    public void Describe_gives_the_meaning_or_null()
    {
        Assert.Equal("The bundle's SHA-256 differs from the one in the checksum file.", EvidenceReasonCodes.Describe("REL-CHECKSUM-MISMATCH"));
        Assert.Null(EvidenceReasonCodes.Describe("REL-NO-SUCH-CODE"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Tollgate.Evidence")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
