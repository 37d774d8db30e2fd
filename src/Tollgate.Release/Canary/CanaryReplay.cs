using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Release.Policy;

namespace Tollgate.Release.Canary;

/// <summary>An analysis as stored: its inputs and its verdict record, in one object whose SHA-256 the ledger entry names.</summary>
public static class CanaryReplay
{
    public static byte[] Store(CanaryInputs inputs, CanaryVerdict verdict) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["inputs"] = CanaryInputsJson.ToJson(inputs),
        ["verdict"] = verdict.Record.DeepClone(),
    }.ToJsonString());

    /// <summary>Recomputes the verdict from a stored analysis under <paramref name="policy"/>; true when it is byte-identical to the stored one.</summary>
    public static (bool Identical, string Stored, string Recomputed) Verify(ReleasePolicy policy, byte[] stored)
    {
        var document = JsonNode.Parse(stored)!.AsObject();
        var inputs = CanaryInputsJson.FromJson(document["inputs"]!.AsObject());
        var recomputed = CanaryJudge.Judge(policy, inputs).Record.ToJsonString();
        var original = document["verdict"]!.ToJsonString();
        return (string.Equals(original, recomputed, StringComparison.Ordinal), original, recomputed);
    }
}
