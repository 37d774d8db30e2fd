namespace Tollgate.Workflows;

/// <summary>
/// The custom status every Tollgate orchestration publishes: which stage it is in and how far
/// along. The HTTP API returns it as <c>progress</c>, and the CLI draws it as a progress bar.
/// </summary>
public sealed record WorkflowProgress(string Stage, int Done, int Total, string? Detail = null);
