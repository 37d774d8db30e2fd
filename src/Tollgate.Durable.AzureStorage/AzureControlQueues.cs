using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Tollgate.Durable.Backend;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// The body of a control-queue message (UTF-8 JSON; base64 on the wire, the encoding Azure
/// Functions' queue trigger expects). Exactly one of <see cref="Message"/> and <see cref="Blob"/> is
/// set: the message itself, or the name of the blob in <c>&lt;hub&gt;-largemessages</c> holding its
/// JSON when the body would be over 45 KB. <see cref="NotBefore"/> is set when the message was
/// delayed beyond what a queue's visibility timeout can express (7 days).
/// </summary>
public sealed record ControlQueueEnvelope(string InstanceId, string MessageId, OrchestrationMessage? Message = null, string? Blob = null, DateTimeOffset? NotBefore = null);

/// <summary>What it takes to delete, abandon or park a received control-queue message.</summary>
public sealed class AzureQueueReceipt
{
    internal AzureQueueReceipt(int partition, string queueName, string messageId, string popReceipt, ControlQueueEnvelope envelope)
    {
        Partition = partition;
        QueueName = queueName;
        MessageId = messageId;
        PopReceipt = popReceipt;
        Envelope = envelope;
    }

    public int Partition { get; }
    public string QueueName { get; }
    public string MessageId { get; }

    /// <summary>The latest pop receipt: abandoning a message changes it.</summary>
    public string PopReceipt { get; internal set; }

    public ControlQueueEnvelope Envelope { get; internal set; }

    public override string ToString() => $"{QueueName}/{MessageId}";
}

/// <summary>
/// Control queues <c>&lt;hub&gt;-control-NN</c>, one per partition. Messages never expire (TTL -1).
/// Parked messages go to the <c>&lt;hub&gt;Poison</c> table.
/// </summary>
internal sealed class AzureControlQueues(StorageContext storage) : IControlQueues
{
    internal const string PoisonPartition = "poison";
    private const int MaxReasonChars = 30_000;
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);
    private static readonly TimeSpan MinVisibility = TimeSpan.FromSeconds(1);

    private TimeSpan Cap => storage.Options.MaxVisibilityDelay;

    public async Task SendAsync(OrchestrationMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var partition = PartitionMap.PartitionOf(message.InstanceId, storage.Names.PartitionCount);
        var envelope = new ControlQueueEnvelope(message.InstanceId, message.MessageId, message,
            NotBefore: delay > Cap ? StorageContext.UtcNow + delay : null);
        var body = await EncodeAsync(envelope, cancellationToken);
        await storage.ControlQueues[partition].SendMessageAsync(BinaryData.FromBytes(body),
            delay > TimeSpan.Zero ? WholeSeconds(Min(delay, Cap)) : null, NeverExpires, cancellationToken);
    }

    /// <summary>Serializes the envelope; moves the message to a blob when the body would be over the inline limit.</summary>
    private async Task<byte[]> EncodeAsync(ControlQueueEnvelope envelope, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, JsonDataConverter.Options);
        if (body.Length <= storage.InlineLimit || envelope.Message is null) return body;
        var blob = LargePayloads.MessageBlob(envelope.InstanceId);
        await storage.Payloads.UploadAsync(blob, JsonSerializer.SerializeToUtf8Bytes(envelope.Message, JsonDataConverter.Options), cancellationToken);
        return JsonSerializer.SerializeToUtf8Bytes(envelope with { Message = null, Blob = blob }, JsonDataConverter.Options);
    }

    /// <remarks>
    /// Messages held back past the queue's 7-day visibility cap that are not due yet are sent again
    /// with the remaining delay (capped), the received copy deleted, and not returned. Messages whose
    /// body cannot be read are parked with the reason and not returned.
    /// </remarks>
    public async Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int partition, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var queue = storage.ControlQueues[partition];
        var visibility = visibilityTimeout < MinVisibility ? MinVisibility : WholeSeconds(Min(visibilityTimeout, Cap));
        var received = await queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibility, cancellationToken);
        if (received.Value.Length == 0) return [];
        var now = StorageContext.UtcNow;
        var results = await Task.WhenAll(received.Value.Select(m => OpenAsync(partition, queue, m, now, cancellationToken)));
        return results.Where(r => r is not null).ToList()!;
    }

    private async Task<QueuedMessage?> OpenAsync(int partition, QueueClient queue, QueueMessage raw, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ControlQueueEnvelope? envelope;
        OrchestrationMessage? message;
        try
        {
            envelope = JsonSerializer.Deserialize<ControlQueueEnvelope>(raw.Body.ToMemory().Span, JsonDataConverter.Options)
                       ?? throw new JsonException("The body is JSON null.");
            if (envelope.NotBefore is { } due && due > now)
            {
                await queue.SendMessageAsync(raw.Body, WholeSeconds(Min(due - now, Cap)), NeverExpires, cancellationToken);
                await DeleteQuietlyAsync(queue, raw.MessageId, raw.PopReceipt, cancellationToken);
                return null;
            }
            message = envelope.Message ?? (envelope.Blob is { } blob
                ? JsonSerializer.Deserialize<OrchestrationMessage>(await storage.Payloads.DownloadAsync(blob, cancellationToken), JsonDataConverter.Options)
                : null) ?? throw new JsonException("The envelope holds neither a message nor a blob.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException || e is RequestFailedException { Status: 404 })
        {
            await ParkUnreadableAsync(partition, raw, e, cancellationToken);
            return null;
        }
        var receipt = new AzureQueueReceipt(partition, queue.Name, raw.MessageId, raw.PopReceipt, envelope);
        return new QueuedMessage(message, (int)Math.Min(int.MaxValue, raw.DequeueCount), receipt);
    }

    public async Task DeleteAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        var receipt = ReceiptOf(message);
        if (await DeleteQuietlyAsync(storage.ControlQueues[receipt.Partition], receipt.MessageId, receipt.PopReceipt, cancellationToken)
            && receipt.Envelope.Blob is { } blob)
            await storage.Payloads.DeleteAsync(blob, cancellationToken);
    }

    /// <remarks>A delay over the 7-day cap is written into the message (NotBefore) and enforced on receive.</remarks>
    public async Task AbandonAsync(QueuedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var receipt = ReceiptOf(message);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var queue = storage.ControlQueues[receipt.Partition];
        try
        {
            Response<UpdateReceipt> updated;
            if (delay > Cap || receipt.Envelope.NotBefore is not null)
            {
                var envelope = receipt.Envelope with { NotBefore = delay > Cap ? StorageContext.UtcNow + delay : null };
                var body = JsonSerializer.SerializeToUtf8Bytes(envelope, JsonDataConverter.Options);
                updated = await queue.UpdateMessageAsync(receipt.MessageId, receipt.PopReceipt, BinaryData.FromBytes(body), WholeSeconds(Min(delay, Cap)), cancellationToken);
                receipt.Envelope = envelope;
            }
            else
            {
                updated = await queue.UpdateMessageAsync(receipt.MessageId, receipt.PopReceipt, (BinaryData?)null, WholeSeconds(delay), cancellationToken);
            }
            receipt.PopReceipt = updated.Value.PopReceipt;
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            // Someone else received it since (our pop receipt is stale) or it was deleted: nothing to abandon.
        }
    }

    public async Task ParkAsync(QueuedMessage message, string reason, CancellationToken cancellationToken)
    {
        var receipt = ReceiptOf(message);
        var row = PoisonRow(receipt.Partition, message.Message.InstanceId, message.Message.MessageId, message.DequeueCount, reason);
        row["Envelope"] = JsonSerializer.SerializeToUtf8Bytes(receipt.Envelope, JsonDataConverter.Options);
        await storage.Poison.AddEntityAsync(row, cancellationToken);
        // The payload blob, if any, stays: the poison row names it.
        await DeleteQuietlyAsync(storage.ControlQueues[receipt.Partition], receipt.MessageId, receipt.PopReceipt, cancellationToken);
    }

    /// <remarks>Oldest first. Rows parked because their body could not be read are not listed (they have no message to show).</remarks>
    public async Task<IReadOnlyList<ParkedMessage>> ListParkedAsync(CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in storage.Poison.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PoisonPartition}"), 1000, null, cancellationToken))
            if (row.TryGetValue("Envelope", out var value) && value is not null) rows.Add(row);
        var parked = await Task.WhenAll(rows.Select(async row =>
        {
            var envelope = JsonSerializer.Deserialize<ControlQueueEnvelope>(row.GetBinary("Envelope"), JsonDataConverter.Options)!;
            var message = envelope.Message
                          ?? JsonSerializer.Deserialize<OrchestrationMessage>(await storage.Payloads.DownloadAsync(envelope.Blob!, cancellationToken), JsonDataConverter.Options)!;
            return new ParkedMessage(message, row.GetInt32("DequeueCount") ?? 0, row.GetString("Reason") ?? "", row.GetDateTimeOffset("ParkedAt") ?? default);
        }));
        return parked;
    }

    private async Task ParkUnreadableAsync(int partition, QueueMessage raw, Exception error, CancellationToken cancellationToken)
    {
        var row = PoisonRow(partition, null, raw.MessageId, (int)Math.Min(int.MaxValue, raw.DequeueCount),
            $"UNREADABLE_MESSAGE: the body of message {raw.MessageId} on {storage.Names.ControlQueue(partition)} cannot be read: {error.GetType().Name}: {error.Message}");
        var text = raw.Body.ToString();
        row["RawBody"] = text.Length <= MaxReasonChars ? text : text[..MaxReasonChars];
        await storage.Poison.AddEntityAsync(row, cancellationToken);
        await DeleteQuietlyAsync(storage.ControlQueues[partition], raw.MessageId, raw.PopReceipt, cancellationToken);
    }

    private TableEntity PoisonRow(int partition, string? instanceId, string messageId, int dequeueCount, string reason)
    {
        var now = StorageContext.UtcNow;
        return new TableEntity(PoisonPartition, $"{now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}")
        {
            ["InstanceId"] = instanceId,
            ["MessageId"] = messageId,
            ["Partition"] = partition,
            ["DequeueCount"] = dequeueCount,
            ["Reason"] = storage.Redact(reason.Length <= MaxReasonChars ? reason : reason[..MaxReasonChars]),
            ["ParkedAt"] = now,
        };
    }

    /// <returns>True when this call deleted the message; false when it was already gone or received by someone else.</returns>
    private static async Task<bool> DeleteQuietlyAsync(QueueClient queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            return false;
        }
    }

    private static bool IsGone(RequestFailedException e)
        => e.Status == 404 || e.Status == 400 && e.ErrorCode == QueueErrorCode.PopReceiptMismatch;

    private static AzureQueueReceipt ReceiptOf(QueuedMessage message)
        => message.Receipt as AzureQueueReceipt
           ?? throw new ArgumentException("The message was not received from this Azure Storage backend.", nameof(message));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Queues count visibility in whole seconds; rounding up means a delayed message is never seen early.</summary>
    internal static TimeSpan WholeSeconds(TimeSpan delay) => TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
}
