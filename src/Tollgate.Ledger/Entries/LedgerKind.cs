using System.Text.Json;

namespace Tollgate.Ledger.Entries;

/// <summary>
/// An entry kind: what it records, the payload members it must carry, and any rule that spans members.
/// Extra payload members are allowed, so a kind can grow without breaking old entries.
/// </summary>
public sealed record LedgerKind(string Name, string Meaning, IReadOnlyList<PayloadField> Required, Func<LedgerEntryFields, JsonElement, string?>? Rule = null)
{
    /// <summary>Why the payload does not fit this kind, or null.</summary>
    public string? Check(LedgerEntryFields entry, JsonElement payload)
    {
        foreach (var field in Required)
        {
            if (!payload.TryGetProperty(field.Name, out var value)) return $"{Name} payload is missing '{field.Name}'";
            if (field.Check(value) is { } problem) return $"{Name} payload: {problem}";
        }
        return Rule?.Invoke(entry, payload);
    }
}
