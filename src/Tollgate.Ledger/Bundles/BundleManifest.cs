using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;
using Tollgate.Ledger.Entries;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// A bundle's manifest: RFC 8785 canonical JSON listing every member by role, name, media type, SHA-256 and size,
/// so that the SHA-256 of these bytes names (and, once signed, vouches for) the whole bundle. Built by the writer
/// or checked by <see cref="Parse"/>; either way an instance always holds a valid, canonical manifest.
/// </summary>
/// <remarks>
/// <c>{"bundle_version":1,"created_at","created_by","environment","event_ref","ledger":{"indexes","tree_size"}|null,
/// "members":[{"media_type","name","role","sha256","size"}],"missing_roles":[]}</c>, nothing more. Members are
/// sorted by role then name (ordinal) and <c>missing_roles</c> is exactly the required roles no member has, in
/// <see cref="BundleRoles.RequiredForReplay"/> order: a manifest cannot be honest about its members and quiet
/// about what it lacks.
/// </remarks>
public sealed class BundleManifest
{
    public const int Version = 1;

    private static readonly string[] TopMembers = ["bundle_version", "created_at", "created_by", "environment", "event_ref", "ledger", "members", "missing_roles"];
    private static readonly string[] MemberMembers = ["media_type", "name", "role", "sha256", "size"];
    private static readonly string[] LedgerMembers = ["indexes", "tree_size"];

    private BundleManifest(byte[] bytes, DateTimeOffset createdAt, string createdBy, string? environment, string eventRef,
        BundleLedgerRef? ledger, IReadOnlyList<BundleMember> members, IReadOnlyList<string> missingRoles)
    {
        Bytes = bytes;
        Sha256 = BundleRules.Sha256Hex(bytes);
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        Environment = environment;
        EventRef = eventRef;
        Ledger = ledger;
        Members = members;
        MissingRoles = missingRoles;
    }

    /// <summary>The canonical UTF-8 bytes (never modified; do not write to the array).</summary>
    public byte[] Bytes { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="Bytes"/>: the bundle's name.</summary>
    public string Sha256 { get; }

    public DateTimeOffset CreatedAt { get; }
    public string CreatedBy { get; }
    public string? Environment { get; }
    public string EventRef { get; }
    public BundleLedgerRef? Ledger { get; }
    public IReadOnlyList<BundleMember> Members { get; }
    public IReadOnlyList<string> MissingRoles { get; }

    /// <summary>Builds the canonical manifest; members are sorted and missing roles computed here.</summary>
    /// <exception cref="BundleException"><see cref="BundleReason.ManifestInvalid"/> if the parts break a manifest rule.</exception>
    internal static BundleManifest Create(
        DateTimeOffset createdAt, string createdBy, string? environment, string eventRef, BundleLedgerRef? ledger, IEnumerable<BundleMember> members)
    {
        var sorted = members.ToList();
        sorted.Sort(BundleRules.CompareMembers);
        var node = new JsonObject
        {
            ["bundle_version"] = Version,
            ["created_at"] = LedgerEntry.FormatTime(createdAt),
            ["created_by"] = createdBy,
            ["environment"] = environment,
            ["event_ref"] = eventRef,
            ["ledger"] = ledger is null ? null : new JsonObject
            {
                ["indexes"] = new JsonArray([.. ledger.Indexes.Select(index => (JsonNode?)JsonValue.Create(index))]),
                ["tree_size"] = ledger.TreeSize,
            },
            ["members"] = new JsonArray([.. sorted.Select(member => (JsonNode?)new JsonObject
            {
                ["media_type"] = member.MediaType,
                ["name"] = member.Name,
                ["role"] = member.Role,
                ["sha256"] = member.Sha256,
                ["size"] = member.Size,
            })]),
            ["missing_roles"] = new JsonArray([.. BundleRoles.Missing(sorted.Select(member => member.Role)).Select(role => (JsonNode?)JsonValue.Create(role))]),
        };
        // Parsing what we built keeps one definition of a valid manifest: the writer cannot seal what the verifier refuses.
        return Parse(JsonCanonicalizer.Canonicalize(node));
    }

    /// <summary>Checks <paramref name="bytes"/> is a whole, canonical, valid manifest.</summary>
    /// <exception cref="BundleException"><see cref="BundleReason.ManifestInvalid"/>, with what is wrong.</exception>
    public static BundleManifest Parse(ReadOnlySpan<byte> bytes)
    {
        long offset;
        try { offset = JsonCanonicalizer.FirstNonCanonicalOffset(bytes); }
        catch (CanonicalJsonException e) { throw Invalid($"not valid JSON ({e.Reason}): {e.Message}"); }
        // Canonical bytes are what make the hash a name: any other spelling of the same JSON would be another bundle.
        if (offset >= 0) throw Invalid($"not RFC 8785 canonical JSON: it first differs from its canonical form at byte {offset}");

        var copy = bytes.ToArray();
        using var document = JsonDocument.Parse(copy);
        var root = document.RootElement;
        ExactMembers(root, TopMembers, "the manifest");
        if (Required(root, "bundle_version") is not { ValueKind: JsonValueKind.Number } version || !version.TryGetInt32(out var v) || v != Version)
            throw Invalid($"'bundle_version' must be {Version}");

        var createdAt = Time(Required(root, "created_at"));
        var createdBy = Required(root, "created_by") is { ValueKind: JsonValueKind.String } creator && BundleRules.IsText(creator.GetString())
            ? creator.GetString()! : throw Invalid($"'created_by' must be 1-{BundleLimits.MaxIdLength} characters without control characters");
        var environment = Required(root, "environment") switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } text when LedgerEnvironments.IsKnown(text.GetString()!) => text.GetString(),
            _ => throw Invalid($"'environment' must be null or one of {string.Join(", ", LedgerEnvironments.All)}"),
        };
        var eventRef = Required(root, "event_ref") is { ValueKind: JsonValueKind.String } eventValue && BundleRules.IsId(eventValue.GetString())
            ? eventValue.GetString()! : throw Invalid($"'event_ref' must be 1-{BundleLimits.MaxIdLength} printable ASCII characters without spaces");
        var ledger = ParseLedger(Required(root, "ledger"));
        var members = ParseMembers(Required(root, "members"));
        CheckLedgerMembers(ledger, members);

        var missing = Required(root, "missing_roles");
        var expected = BundleRoles.Missing(members.Select(member => member.Role));
        if (missing.ValueKind != JsonValueKind.Array
            || !missing.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString() : null).SequenceEqual(expected))
            throw Invalid($"'missing_roles' must list exactly the required roles no member has, in catalogue order: [{string.Join(", ", expected)}]");

        return new BundleManifest(copy, createdAt, createdBy, environment, eventRef, ledger, members, expected);
    }

    private static BundleLedgerRef? ParseLedger(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        ExactMembers(value, LedgerMembers, "'ledger'");
        var treeSize = Integer(Required(value, "tree_size"), 1, long.MaxValue, "'ledger.tree_size'");
        var list = Required(value, "indexes");
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > BundleLimits.MaxLedgerIndexes)
            throw Invalid($"'ledger.indexes' must be an array of 1-{BundleLimits.MaxLedgerIndexes} entry indexes");
        var indexes = new List<long>();
        foreach (var item in list.EnumerateArray())
        {
            var index = Integer(item, 0, treeSize - 1, "'ledger.indexes[]' (below tree_size)");
            if (indexes.Count > 0 && index <= indexes[^1]) throw Invalid("'ledger.indexes' must be ascending without repeats");
            indexes.Add(index);
        }
        return new BundleLedgerRef(indexes, treeSize);
    }

    private static List<BundleMember> ParseMembers(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > BundleLimits.MaxMembers)
            throw Invalid($"'members' must be an array of at most {BundleLimits.MaxMembers} members");
        var members = new List<BundleMember>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in value.EnumerateArray())
        {
            ExactMembers(item, MemberMembers, "a member");
            var role = String(item, "role");
            if (!BundleRoles.IsKnown(role)) throw Invalid($"member role '{BundleRules.Printable(role)}' is not a known role");
            var name = String(item, "name");
            if (BundleRules.NameProblem(name) is { } problem) throw Invalid(problem);
            if (!names.Add(name)) throw Invalid($"member name '{name}' appears twice (names are unique in a bundle, ignoring case)");
            var mediaType = String(item, "media_type");
            if (!BundleRules.IsMediaType(mediaType)) throw Invalid($"member '{name}' has an invalid media_type");
            var sha256 = String(item, "sha256");
            if (!BundleRules.IsSha256Hex(sha256)) throw Invalid($"member '{name}' sha256 must be 64 lowercase hex digits");
            var size = Integer(Required(item, "size"), 0, BundleLimits.MaxMemberBytes, $"member '{name}' size");
            var member = new BundleMember(role, name, mediaType, sha256, size);
            if (members.Count > 0 && BundleRules.CompareMembers(members[^1], member) >= 0)
                throw Invalid("'members' must be sorted by role, then name (ordinal)");
            members.Add(member);
        }
        return members;
    }

    /// <summary>Ledger members come as a set of three, and only with a ledger reference, so each can be checked against the others.</summary>
    private static void CheckLedgerMembers(BundleLedgerRef? ledger, List<BundleMember> members)
    {
        foreach (var (role, name) in BundleLedgerMembers.Names)
        {
            var found = members.Where(member => member.Role == role).ToList();
            if (ledger is null && found.Count > 0)
                throw Invalid($"a '{role}' member needs a 'ledger' reference");
            if (ledger is not null && (found.Count != 1 || found[0].Name != name))
                throw Invalid($"with a 'ledger' reference the manifest must have exactly one '{role}' member, named '{name}'");
        }
    }

    private static void ExactMembers(JsonElement value, string[] allowed, string what)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Invalid($"{what} must be a JSON object");
        foreach (var member in value.EnumerateObject())
        {
            if (Array.IndexOf(allowed, member.Name) < 0)
                throw Invalid($"{what} has unknown member '{BundleRules.Printable(member.Name)}'; allowed: {string.Join(", ", allowed)}");
        }
        foreach (var name in allowed) Required(value, name);
    }

    private static JsonElement Required(JsonElement value, string name) =>
        value.TryGetProperty(name, out var found) ? found : throw Invalid($"missing '{name}'");

    private static string String(JsonElement value, string name) =>
        Required(value, name) is { ValueKind: JsonValueKind.String } text ? text.GetString()! : throw Invalid($"'{name}' must be a string");

    private static long Integer(JsonElement value, long min, long max, string what) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max
            ? number : throw Invalid($"{what} must be an integer from {min} to {max}");

    private static DateTimeOffset Time(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(value.GetString(), LedgerEntry.TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            return new DateTimeOffset(time, TimeSpan.Zero);
        throw Invalid("'created_at' must be UTC as yyyy-MM-ddTHH:mm:ss.fffZ");
    }

    private static BundleException Invalid(string detail) => new(BundleReason.ManifestInvalid, $"The bundle manifest is invalid: {detail}.");
}
