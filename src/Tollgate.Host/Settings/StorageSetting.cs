namespace Tollgate.Host.Settings;

/// <summary>
/// The <c>AzureWebJobsStorage</c> setting: an Azure Storage connection string (Azurite locally), or
/// <c>in-memory</c> for a task hub held in process memory (tests and demos; nothing survives the
/// process, and several hosts cannot share it). The connection string holds the account key: it is
/// handed only to the storage clients, and <see cref="ToString"/> and <see cref="Describe"/> never show it.
/// </summary>
public sealed class StorageSetting
{
    public const string SettingName = "AzureWebJobsStorage";
    public const string InMemoryValue = "in-memory";

    private readonly string? _connectionString;

    private StorageSetting(string? connectionString) => _connectionString = connectionString;

    public static StorageSetting InMemory { get; } = new(null);

    public bool IsInMemory => _connectionString is null;

    /// <summary>The secret connection string; for storage clients only, never for logs or responses.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The in-memory backend has no connection string.");

    /// <exception cref="InvalidOperationException">The setting is missing.</exception>
    public static StorageSetting Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"{SettingName} is not set: set it to a storage connection string (e.g. UseDevelopmentStorage=true for Azurite) or to '{InMemoryValue}', in local.settings.json (Values) or the environment.");
        return string.Equals(value.Trim(), InMemoryValue, StringComparison.OrdinalIgnoreCase) ? InMemory : new StorageSetting(value.Trim());
    }

    /// <summary>What the storage is, without secrets: the account name and endpoints.</summary>
    public string Describe()
    {
        if (_connectionString is null) return InMemoryValue;
        var parts = Parts(_connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
            return "azure-storage (development storage)";
        var account = parts.GetValueOrDefault("AccountName") ?? "?";
        return parts.TryGetValue("BlobEndpoint", out var blob) ? $"azure-storage (account {account}, blob {blob})" : $"azure-storage (account {account})";
    }

    /// <summary>Replaces every secret of the connection string that appears in <paramref name="text"/> (e.g. an exception message).</summary>
    public string Redact(string text)
    {
        if (_connectionString is null || string.IsNullOrEmpty(text)) return text;
        text = text.Replace(_connectionString, "[connection string]", StringComparison.Ordinal);
        foreach (var (key, value) in Parts(_connectionString))
            if (key is "AccountKey" or "SharedAccessSignature" && value.Length > 0)
                text = text.Replace(value, "[secret]", StringComparison.Ordinal);
        return text;
    }

    /// <summary>The secret parts of the connection string (account key, SAS), for the redactor; none for in-memory.</summary>
    public IEnumerable<string> SecretValues() => _connectionString is null
        ? []
        : Parts(_connectionString).Where(part => part.Key is "AccountKey" or "SharedAccessSignature" && part.Value.Length > 0).Select(part => part.Value);

    public override string ToString() => Describe();

    private static Dictionary<string, string> Parts(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals > 0) parts[part[..equals]] = part[(equals + 1)..];
        }
        return parts;
    }
}
