using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.Worker;

/// <summary>
/// An event on its way into an instance's history. <see cref="Source"/> is the queue message to
/// delete once the event is recorded (null for in-process events such as activity results);
/// <see cref="ExecutionId"/> pins in-process results to the execution that asked for them.
/// </summary>
internal sealed record Inbound(HistoryEvent Event, QueuedMessage? Source = null, string? ExecutionId = null);
