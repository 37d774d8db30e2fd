using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Evidence;
using Tollgate.Ledger.Canonical;
using Tollgate.Ledger.Entries;

namespace Tollgate.Cli.Evidence;

/// <summary>
/// The ledger entry of one evidence result: kind <c>evidence</c>, payload <see cref="EvidenceResult.ToPayload"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Idempotency.</b> The key is <c>evidence:&lt;check&gt;:&lt;sha256 hex of the canonical payload&gt;</c>, so
/// the key names the result, not the run. The entry's <c>time</c> (when the check ran, to the millisecond) is part
/// of its bytes, so a re-run of the same check on the same inputs sends the same key with other bytes, and the host
/// answers LEDGER_KEY_CONFLICT. The CLI then reads the entry holding the key and, when its payload is the same
/// result (<see cref="SameResult"/>), reports "already recorded" with that entry's index, time and actor: the
/// first recording of a result stands, later runs add nothing.
/// </para>
/// <para>
/// <b>Volatile facts.</b> Appending to the audit index (<see cref="EvidenceChecks.ReleaseIndexAppend"/>) is
/// idempotent, but its re-run reports <c>appended=false</c>, the index's current line count and head hash, and a
/// different summary sentence. Those describe the index around the line, not the line: the key and the
/// same-result comparison leave them out (and the <c>summary</c>), so a re-run finds the first entry. Its
/// <c>line_number</c> and <c>line_sha256</c>, the anchor a later <c>verify-index</c> needs, stay in.
/// </para>
/// </remarks>
internal static class EvidenceEntry
{
    private static readonly string[] IndexAppendVolatileFacts = ["appended", "index_lines", "head_sha256"];

    public static string KeyFor(JsonObject payload, string check) =>
        $"evidence:{check}:{Convert.ToHexStringLower(SHA256.HashData(KeyMaterial(payload)))}";

    public static LedgerEntry Create(EvidenceResult result, EvidenceLedgerTarget target, DateTimeOffset time)
    {
        var payload = result.ToPayload();
        return LedgerEntry.Create(
            new LedgerEntryFields(LedgerKinds.Evidence.Name, KeyFor(payload, result.Check), time, target.Actor,
                target.CorrelationFor(result.Check), target.Environment, []),
            payload);
    }

    /// <summary>Whether a stored entry (as the API returns it) records the same result as <paramref name="entry"/>.</summary>
    public static bool SameResult(LedgerEntry entry, JsonElement stored)
    {
        if (stored.ValueKind != JsonValueKind.Object
            || !stored.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != entry.Kind
            || !stored.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            return false;
        using var ours = JsonDocument.Parse(entry.Bytes);
        var mine = (JsonObject)JsonNode.Parse(ours.RootElement.GetProperty("payload").GetRawText())!;
        var theirs = (JsonObject)JsonNode.Parse(payload.GetRawText())!;
        return KeyMaterial(mine).AsSpan().SequenceEqual(KeyMaterial(theirs));
    }

    /// <summary>The canonical bytes the key is the hash of: the payload, less what only describes the run.</summary>
    private static byte[] KeyMaterial(JsonObject payload)
    {
        var material = (JsonObject)payload.DeepClone();
        if (material["check"] is JsonValue check && check.TryGetValue<string>(out var name) && name == EvidenceChecks.ReleaseIndexAppend)
        {
            material.Remove("summary");
            if (material["facts"] is JsonObject facts)
            {
                foreach (var fact in IndexAppendVolatileFacts) facts.Remove(fact);
            }
        }
        return JsonCanonicalizer.Canonicalize(material);
    }
}
