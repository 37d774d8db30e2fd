namespace Tollgate.Release.Pipeline;

/// <summary>
/// Input a pipeline stage refuses, with the reason code the stage's verdict will carry. Thrown only by the
/// building blocks (such as <see cref="TestReport.Parse"/>); the stages themselves turn it into a FAIL verdict.
/// Messages never hold secret material.
/// </summary>
public sealed class PipelineException(string code, string message) : Exception($"{code}: {message}")
{
    /// <summary>A code of <see cref="PipelineReasons"/>.</summary>
    public string Code { get; } = code;

    /// <summary>The problem without the code prefix, as the verdict records it.</summary>
    public string Problem { get; } = message;
}
