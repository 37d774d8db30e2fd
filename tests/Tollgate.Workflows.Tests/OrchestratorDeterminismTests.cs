namespace Tollgate.Workflows.Tests;

public sealed class OrchestratorDeterminismTests
{
    [Fact]
    public void No_orchestrator_in_the_source_tree_reads_the_clock_randomness_environment_or_io()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(sources);

        var violations = sources.SelectMany(f => DeterminismRules.Check(Path.GetRelativePath(RepoRoot(), f), File.ReadAllText(f))).ToList();

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Theory]
    [InlineData("var now = DateTime.UtcNow;", "DateTime.UtcNow")]
    [InlineData("var id = Guid.NewGuid();", "Guid.NewGuid")]
    [InlineData("await Task.Delay(10);", "Task.Delay")]
    [InlineData("var r = new Random();", "new Random()")]
    [InlineData("var v = System.Environment.GetEnvironmentVariable(\"X\");", "System.Environment.GetEnvironmentVariable")]
    [InlineData("await context.CallActivityAsync(\"a\").ConfigureAwait(false);", "ConfigureAwait")]
    [InlineData("using var http = new HttpClient();", "new HttpClient()")]
    public void Each_forbidden_call_in_orchestrator_code_is_reported(string statement, string expected)
    {
        var source = $$"""
            class Sample
            {
                static async Task<int> RunAsync(Tollgate.Durable.TaskOrchestrationContext context, int input)
                {
                    {{statement}}
                    return 1;
                }
            }
            """;

        var violation = Assert.Single(DeterminismRules.Check("Sample.cs", source));
        Assert.Contains(expected, violation.Code);
        Assert.Equal(5, violation.Line);
    }

    [Fact]
    public void Lambdas_registered_as_orchestrators_are_checked_and_activities_are_not()
    {
        const string source = """
            class Registrations
            {
                void Register(DurableTaskRegistry registry)
                {
                    registry.AddOrchestrator<int, int>("o", async (TaskOrchestrationContext ctx, int n) => { await Task.Delay(1); return n; });
                    registry.AddActivity<int, long>("a", (TaskActivityContext ctx, int n) => Task.FromResult(DateTime.UtcNow.Ticks));
                }
            }
            """;

        var violation = Assert.Single(DeterminismRules.Check("Registrations.cs", source));
        Assert.Contains("Task.Delay", violation.Code);
    }

    [Fact]
    public void Lambdas_passed_to_AddOrchestrator_are_checked_even_with_inferred_parameter_types()
    {
        const string source = """
            class Registrations
            {
                void Register(DurableTaskRegistry registry)
                    => registry.AddOrchestrator<int, Guid>("o", (ctx, n) => Task.FromResult(Guid.NewGuid()));
            }
            """;

        var violation = Assert.Single(DeterminismRules.Check("Registrations.cs", source));
        Assert.Contains("Guid.NewGuid", violation.Code);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Functions.sln not found above the test binaries.");
    }
}
