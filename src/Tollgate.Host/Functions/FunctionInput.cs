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

/// <summary>
/// A batch of events from one partition of a stream, in sequence order: what the Functions Event Hubs trigger
/// delivers with cardinality many (bodies, <c>SequenceNumberArray</c>, <c>EnqueuedTimeUtcArray</c>,
/// <c>PropertiesArray</c>, <c>PartitionContext.PartitionId</c>), and what the standalone stream hub delivers.
/// </summary>
public sealed record StreamInput(string PartitionId, IReadOnlyList<StreamEvent> Events) : FunctionInput;

/// <summary>One stream event: its sequence number in the partition, when the stream took it, its application properties and its body.</summary>
public sealed record StreamEvent(long SequenceNumber, DateTimeOffset EnqueuedAt, IReadOnlyDictionary<string, string> Properties, ReadOnlyMemory<byte> Body);

/// <summary>One queue message and how often it has been delivered.</summary>
public sealed record QueueInput(string Message, long DequeueCount) : FunctionInput;

/// <summary>One invocation of a function.</summary>
public sealed record FunctionContext(string FunctionName, FunctionInput Input, IServiceProvider Services, CancellationToken CancellationToken);

/// <summary>The code of a function.</summary>
public delegate Task FunctionHandler(FunctionContext context);
