using System.Text.Json.Nodes;

namespace Tollgate.Evidence;

/// <summary>
/// The outcome of one evidence check, shaped to be written as it is to the audit ledger.
/// </summary>
/// <param name="Check">Stable id of the check (<see cref="EvidenceChecks"/>).</param>
/// <param name="Passed">True exactly when <paramref name="ReasonCodes"/> is empty.</param>
/// <param name="ReasonCodes">Stable codes from <see cref="EvidenceReasonCodes"/>, in the order found, each once.</param>
/// <param name="Facts">Measured values (hashes, sizes, durations) the verdict rests on; never a secret.</param>
/// <param name="Summary">One human sentence; the codes, not this text, are the contract.</param>
public sealed record EvidenceResult(
    string Check,
    bool Passed,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyDictionary<string, string> Facts,
    string Summary)
{
    /// <summary>
    /// The ledger payload: <c>check, passed, reason_codes, facts, summary</c>. Facts are written in
    /// ordinal key order so two runs over the same evidence produce the same bytes.
    /// </summary>
    public JsonObject ToPayload()
    {
        var codes = new JsonArray();
        foreach (var code in ReasonCodes)
        {
            codes.Add(code);
        }

        var facts = new JsonObject();
        foreach (var (key, value) in Facts.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            facts[key] = value;
        }

        return new JsonObject
        {
            ["check"] = Check,
            ["passed"] = Passed,
            ["reason_codes"] = codes,
            ["facts"] = facts,
            ["summary"] = Summary,
        };
    }

    /// <summary>True when this result carries <paramref name="code"/>.</summary>
    public bool Has(string code) => ReasonCodes.Contains(code, StringComparer.Ordinal);
}
