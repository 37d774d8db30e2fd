using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Tollgate.Durable.AzureStorage;

/// <summary>The clients, names and options one task hub's stores share.</summary>
internal sealed class StorageContext
{
    public required AzureStorageTaskHubNames Names { get; init; }
    public required AzureStorageBackendOptions Options { get; init; }
    public required StorageTransactionCounter Transactions { get; init; }
    public required TableServiceClient TableService { get; init; }
    public required QueueServiceClient QueueService { get; init; }
    public required BlobServiceClient BlobService { get; init; }
    public required TableClient Instances { get; init; }
    public required TableClient History { get; init; }
    public required TableClient Poison { get; init; }
    public required TableClient Hosts { get; init; }
    public required IReadOnlyList<QueueClient> ControlQueues { get; init; }
    public required BlobContainerClient LargeMessages { get; init; }
    public required BlobContainerClient Leases { get; init; }
    public required LargePayloads Payloads { get; init; }

    /// <summary>Secret values from the connection string, scrubbed from every message this backend builds.</summary>
    public required IReadOnlyList<string> Secrets { get; init; }

    public int InlineLimit => Options.InlinePayloadLimit;

    public static DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public string Redact(string text) => Redaction.Redact(text, Secrets);
}

/// <summary>Keeps account keys and SAS signatures out of messages and logs.</summary>
internal static partial class Redaction
{
    public static IReadOnlyList<string> SecretsOf(string connectionString)
    {
        var secrets = new List<string>();
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (value.Length >= 8 && (key.Equals("AccountKey", StringComparison.OrdinalIgnoreCase)
                                      || key.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase)))
                secrets.Add(value);
        }
        return secrets;
    }

    public static string Redact(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets) text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        text = AccountKey().Replace(text, "${k}=[redacted]");
        return Signature().Replace(text, "${k}=[redacted]");
    }

    [GeneratedRegex("(?<k>AccountKey|SharedAccessSignature)=[^;\\s]+", RegexOptions.IgnoreCase)]
    private static partial Regex AccountKey();

    [GeneratedRegex("(?<k>[?&]sig)=[^&\\s;]+", RegexOptions.IgnoreCase)]
    private static partial Regex Signature();
}

internal static class StorageErrors
{
    public static bool IsConflict(this RequestFailedException e) => e.Status is 409 or 412;
}
