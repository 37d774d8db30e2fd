using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Entries;

/// <summary>
/// One ledger entry: RFC 8785 canonical JSON whose bytes are what the Merkle tree hashes. Built by
/// <see cref="Create"/> or checked by <see cref="Parse"/>; either way an instance always holds a valid,
/// canonical entry.
/// </summary>
/// <remarks>
/// The envelope is <c>{"actor","correlation_id","environment","key","kind","payload","refs","time","v"}</c>,
/// nothing more; docs/LEDGER.md gives each member's rules.
/// </remarks>
public sealed class LedgerEntry
{
    public const int MaxBytes = 64 * 1024;
    public const int SchemaVersion = 1;
    public const int MaxIdLength = 256;
    public const int MaxRefs = 64;
    internal const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly string[] Members = ["actor", "correlation_id", "environment", "key", "kind", "payload", "refs", "time", "v"];

    private LedgerEntry(LedgerEntryFields fields, byte[] bytes)
    {
        Fields = fields;
        Bytes = bytes;
    }

    public LedgerEntryFields Fields { get; }

    /// <summary>The canonical UTF-8 bytes (never modified; do not write to the array).</summary>
    public byte[] Bytes { get; }

    public string Kind => Fields.Kind;
    public string Key => Fields.Key;

    public static LedgerEntry Create(LedgerEntryFields fields, JsonObject payload)
    {
        var node = new JsonObject
        {
            ["actor"] = fields.Actor,
            ["correlation_id"] = fields.CorrelationId,
            ["environment"] = fields.Environment,
            ["key"] = fields.Key,
            ["kind"] = fields.Kind,
            ["payload"] = payload.DeepClone(),
            ["refs"] = new JsonArray([.. fields.Refs.Select(reference => (JsonNode?)JsonValue.Create(reference))]),
            ["time"] = FormatTime(fields.Time),
            ["v"] = SchemaVersion,
        };
        return Parse(JsonCanonicalizer.Canonicalize(node));
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Checks <paramref name="bytes"/> is a whole, canonical, valid entry.</summary>
    /// <exception cref="LedgerException">With the reason the bytes are not an entry.</exception>
    public static LedgerEntry Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
            throw new LedgerException(LedgerReason.TooLarge, $"An entry is at most {MaxBytes} bytes; this one is {bytes.Length}.");
        long offset;
        try { offset = JsonCanonicalizer.FirstNonCanonicalOffset(bytes); }
        catch (CanonicalJsonException e) { throw new LedgerException(LedgerReason.NotJson, $"The entry is not valid JSON ({e.Reason}): {e.Message}"); }
        if (offset >= 0)
            throw new LedgerException(LedgerReason.NotCanonical,
                $"The entry is not RFC 8785 canonical JSON: it first differs from its canonical form at byte {offset}. Canonicalize it (members sorted, no whitespace, ECMAScript numbers) before appending.");

        var copy = bytes.ToArray();
        using var document = JsonDocument.Parse(copy);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Bad(LedgerReason.BadField, "An entry is a JSON object.");
        foreach (var member in root.EnumerateObject())
        {
            if (Array.IndexOf(Members, member.Name) < 0)
                throw Bad(LedgerReason.UnknownField, $"Unknown entry member '{member.Name}'; allowed: {string.Join(", ", Members)}.");
        }
        if (Required(root, "v").ValueKind != JsonValueKind.Number || !Required(root, "v").TryGetInt32(out var version) || version != SchemaVersion)
            throw Bad(LedgerReason.BadField, $"'v' must be {SchemaVersion}.");

        var kindName = Id(root, "kind");
        var kind = LedgerKinds.Find(kindName)
            ?? throw Bad(LedgerReason.UnknownKind, $"Unknown entry kind '{kindName}'; known: {string.Join(", ", LedgerKinds.All.Select(k => k.Name))}.");
        var fields = new LedgerEntryFields(
            kindName, Id(root, "key"), Time(root), Text(root, "actor"), Id(root, "correlation_id"), Environment(root), Refs(root));
        var payload = Required(root, "payload");
        if (payload.ValueKind != JsonValueKind.Object) throw Bad(LedgerReason.BadPayload, "'payload' must be a JSON object.");
        if (kind.Check(fields, payload) is { } problem) throw Bad(LedgerReason.BadPayload, problem + ".");
        return new LedgerEntry(fields, copy);
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw Bad(LedgerReason.MissingField, $"The entry has no '{name}'.");

    /// <summary>Keys, correlation ids and refs: 1-256 printable ASCII characters, no spaces, so they are safe in storage keys and logs.</summary>
    private static string Id(JsonElement root, string name) => CheckId(Required(root, name), name);

    private static string CheckId(JsonElement value, string name)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(LedgerReason.BadField, $"'{name}' must be a string.");
        if (text.Length is 0 or > MaxIdLength || text.Any(c => c is < '!' or > '~'))
            throw Bad(LedgerReason.BadField, $"'{name}' must be 1-{MaxIdLength} printable ASCII characters without spaces.");
        return text;
    }

    private static string Text(JsonElement root, string name)
    {
        var value = Required(root, name);
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(LedgerReason.BadField, $"'{name}' must be a string.");
        if (text.Length is 0 or > MaxIdLength || text.Any(char.IsControl))
            throw Bad(LedgerReason.BadField, $"'{name}' must be 1-{MaxIdLength} characters without control characters.");
        return text;
    }

    private static DateTimeOffset Time(JsonElement root)
    {
        var value = Required(root, "time");
        if (value.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(value.GetString(), TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            // Before 2000 is a mistake here, not history, and Azure Tables cannot store times before 1601.
            if (time.Year < 2000) throw Bad(LedgerReason.BadField, "'time' must be in the year 2000 or later.");
            return new DateTimeOffset(time, TimeSpan.Zero);
        }
        throw Bad(LedgerReason.BadField, "'time' must be UTC as yyyy-MM-ddTHH:mm:ss.fffZ.");
    }

    private static string? Environment(JsonElement root)
    {
        var value = Required(root, "environment");
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String && LedgerEnvironments.IsKnown(value.GetString()!)) return value.GetString();
        throw Bad(LedgerReason.BadField, $"'environment' must be null or one of {string.Join(", ", LedgerEnvironments.All)}.");
    }

    private static IReadOnlyList<string> Refs(JsonElement root)
    {
        var value = Required(root, "refs");
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxRefs)
            throw Bad(LedgerReason.BadField, $"'refs' must be an array of at most {MaxRefs} ids.");
        return [.. value.EnumerateArray().Select(item => CheckId(item, "refs[]"))];
    }

    private static LedgerException Bad(string reason, string message) => new(reason, message);
}
