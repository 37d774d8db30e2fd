namespace Tollgate.Durable.History;

/// <summary>
/// Event <see cref="Name"/> arrived. <see cref="MessageId"/> identifies the delivery, so a message
/// delivered twice by an at-least-once queue is recorded once.
/// </summary>
public sealed record EventRaised(DateTime Timestamp, string Name, string? Input, string MessageId) : HistoryEvent(Timestamp);
