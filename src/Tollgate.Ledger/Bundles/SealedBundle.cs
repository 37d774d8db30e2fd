using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;

namespace Tollgate.Ledger.Bundles;

/// <summary>A sealed bundle: its name (the manifest's SHA-256), the manifest, and the signed note vouching for it.</summary>
public sealed record SealedBundle(string ManifestSha256, BundleManifest Manifest, string SignatureNote)
{
    /// <summary>The ledger key of the bundle's entry: one entry per bundle, so recording it twice is idempotent.</summary>
    public string LedgerKey => $"bundle:{ManifestSha256}";

    /// <summary>
    /// The "bundle" entry that records the seal in the ledger (the caller appends it). Refs name the event, so the
    /// event's other entries and its bundle are found together; the payload says honestly what the bundle lacks.
    /// </summary>
    public LedgerEntry ToLedgerEntry(string actor, string correlationId, DateTimeOffset time) =>
        LedgerEntry.Create(
            new LedgerEntryFields(LedgerKinds.Bundle.Name, LedgerKey, time, actor, correlationId, Manifest.Environment, [Manifest.EventRef]),
            new JsonObject
            {
                ["manifest_sha256"] = ManifestSha256,
                ["event_ref"] = Manifest.EventRef,
                ["members"] = Manifest.Members.Count,
                ["missing_roles"] = new JsonArray([.. Manifest.MissingRoles.Select(role => (JsonNode?)JsonValue.Create(role))]),
            });
}
