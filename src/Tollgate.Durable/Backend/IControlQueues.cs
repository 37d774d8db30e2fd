using Tollgate.Durable.History;

namespace Tollgate.Durable.Backend;

/// <summary>
/// A message for one instance: every way the outside world reaches an orchestration is a history
/// event. <see cref="MessageId"/> is unique per logical message, so a redelivery can be recognised.
/// </summary>
public sealed record OrchestrationMessage(string InstanceId, HistoryEvent Event, string MessageId);

/// <summary>A received message with what it takes to delete or park it.</summary>
public sealed record QueuedMessage(OrchestrationMessage Message, int DequeueCount, object Receipt);

/// <summary>A message taken out of circulation after repeated failures, with why.</summary>
public sealed record ParkedMessage(OrchestrationMessage Message, int DequeueCount, string Reason, DateTimeOffset ParkedAt);

/// <summary>
/// One durable queue per control partition. At-least-once: a message received and not deleted
/// before its visibility timeout is delivered again with a higher dequeue count.
/// </summary>
public interface IControlQueues
{
    /// <summary>Enqueues to the instance's partition, invisible for <paramref name="delay"/> (durable timers).</summary>
    Task SendAsync(OrchestrationMessage message, TimeSpan delay, CancellationToken cancellationToken);

    Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int partition, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    Task DeleteAsync(QueuedMessage message, CancellationToken cancellationToken);

    /// <summary>Makes a received message visible again after <paramref name="delay"/>.</summary>
    Task AbandonAsync(QueuedMessage message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves a message that keeps failing to the poison store, with a reason, and deletes it.</summary>
    Task ParkAsync(QueuedMessage message, string reason, CancellationToken cancellationToken);

    Task<IReadOnlyList<ParkedMessage>> ListParkedAsync(CancellationToken cancellationToken);
}
