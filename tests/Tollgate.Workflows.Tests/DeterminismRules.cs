using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Tollgate.Workflows.Tests;

/// <summary>
/// Finds what orchestrator code must never do (the idea of the Durable Task analyzers, which are
/// not served here): any method or lambda taking a TaskOrchestrationContext is orchestrator code,
/// and inside it the clock, GUIDs, randomness, real delays, threads, environment, files and network
/// escape replay.
/// </summary>
public static class DeterminismRules
{
    private static readonly (string Receiver, string Member, string Use)[] ForbiddenMembers =
    [
        ("DateTime", "Now", "context.CurrentUtcDateTime"),
        ("DateTime", "UtcNow", "context.CurrentUtcDateTime"),
        ("DateTime", "Today", "context.CurrentUtcDateTime"),
        ("DateTimeOffset", "Now", "context.CurrentUtcDateTime"),
        ("DateTimeOffset", "UtcNow", "context.CurrentUtcDateTime"),
        ("Guid", "NewGuid", "context.NewGuid()"),
        ("Random", "Shared", "an activity"),
        ("Task", "Delay", "context.CreateTimer"),
        ("Task", "Run", "an activity"),
        ("Thread", "Sleep", "context.CreateTimer"),
        ("Environment", "*", "the orchestration input"),
        ("File", "*", "an activity"),
        ("Directory", "*", "an activity"),
        ("Stopwatch", "*", "context.CurrentUtcDateTime"),
        ("TimeProvider", "*", "context.CurrentUtcDateTime"),
    ];

    private static readonly string[] ForbiddenTypes = ["Random", "HttpClient", "Stopwatch", "TableClient", "BlobClient", "QueueClient"];

    public sealed record Violation(string File, int Line, string Code, string Advice)
    {
        public override string ToString() => $"{File}:{Line}: '{Code}' in orchestrator code; use {Advice}";
    }

    public static IEnumerable<Violation> Check(string path, string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, path: path).GetRoot();
        foreach (var body in OrchestratorBodies(root))
        {
            foreach (var access in body.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>())
            {
                var receiver = access.Expression.ToString().Split('.').Last();
                var member = access.Name.Identifier.Text;
                foreach (var rule in ForbiddenMembers)
                    if (receiver == rule.Receiver && (rule.Member == "*" || rule.Member == member))
                        yield return At(path, access, rule.Use);
                if (member == "ConfigureAwait")
                    yield return At(path, access, "a plain await (ConfigureAwait leaves the replay scheduler)");
            }
            foreach (var creation in body.DescendantNodesAndSelf().OfType<ObjectCreationExpressionSyntax>())
                if (ForbiddenTypes.Contains(creation.Type.ToString().Split('.').Last()))
                    yield return At(path, creation, "an activity");
        }
    }

    private static IEnumerable<SyntaxNode> OrchestratorBodies(SyntaxNode root)
    {
        foreach (var method in root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
            if (TakesContext(method.ParameterList.Parameters) && ((SyntaxNode?)method.Body ?? method.ExpressionBody) is { } body)
                yield return body;
        foreach (var lambda in root.DescendantNodes().OfType<ParenthesizedLambdaExpressionSyntax>())
            if (TakesContext(lambda.ParameterList.Parameters) || IsOrchestratorRegistration(lambda))
                yield return lambda.Body;
        foreach (var local in root.DescendantNodes().OfType<LocalFunctionStatementSyntax>())
            if (TakesContext(local.ParameterList.Parameters) && ((SyntaxNode?)local.Body ?? local.ExpressionBody) is { } body)
                yield return body;
    }

    /// <summary>A lambda passed to AddOrchestrator is orchestrator code even when its parameter types are inferred.</summary>
    private static bool IsOrchestratorRegistration(LambdaExpressionSyntax lambda)
        => lambda.Parent?.Parent?.Parent is InvocationExpressionSyntax { Expression: var callee }
           && callee.ToString().Split('.').Last().StartsWith("AddOrchestrator", StringComparison.Ordinal);

    private static bool TakesContext(SeparatedSyntaxList<ParameterSyntax> parameters)
        => parameters.Any(p => p.Type?.ToString().EndsWith("TaskOrchestrationContext", StringComparison.Ordinal) == true);

    private static Violation At(string path, SyntaxNode node, string advice)
        => new(path, node.GetLocation().GetLineSpan().StartLinePosition.Line + 1, node.ToString(), advice);
}
