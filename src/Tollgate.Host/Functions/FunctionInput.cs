using Microsoft.AspNetCore.Http;

namespace Tollgate.Host.Functions;

/// <summary>What one invocation received; one record per trigger kind.</summary>
public abstract record FunctionInput
{
    private protected FunctionInput() { }
}

/// <summary>The HTTP request, and the response to write.</summary>
public sealed record HttpInput(HttpContext Http) : FunctionInput;

/// <summary>The occurrence this invocation serves; <paramref name="IsPastDue"/> when it ran late and earlier missed occurrences were folded into it.</summary>
public sealed record TimerInput(DateTimeOffset ScheduledAt, bool IsPastDue) : FunctionInput;

/// <summary>A batch of stream events, each the event body as text.</summary>
public sealed record StreamInput(IReadOnlyList<string> Events) : FunctionInput;

/// <summary>One queue message and how often it has been delivered.</summary>
public sealed record QueueInput(string Message, long DequeueCount) : FunctionInput;

/// <summary>One invocation of a function.</summary>
public sealed record FunctionContext(string FunctionName, FunctionInput Input, IServiceProvider Services, CancellationToken CancellationToken);

/// <summary>The code of a function.</summary>
public delegate Task FunctionHandler(FunctionContext context);
