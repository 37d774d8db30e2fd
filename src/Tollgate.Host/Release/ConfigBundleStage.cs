using System.Text;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Strategy;
using Tollgate.Release.Bundles;

namespace Tollgate.Host.Release;

/// <summary>
/// The Test stage of a config release (seed 002 S10, D): the bundle is linted against the capture's instruments,
/// its effective rules must be the candidate map's config, and the recorded capture is replayed through the active
/// rules and the candidate's (decision Jaccard, flip_pct, skip rate, size_mult &gt; 1 ratio) with a sensitivity check
/// of every numeric parameter; the seed's rejections (flip_pct over threshold, Jaccard too low, bounds out of range,
/// too sensitive) stop the release.
/// </summary>
public sealed class ConfigBundleStage(ReleaseServices services)
{
    public const string BundleMismatch = "PIPE-TEST-BUNDLE-MISMATCH";
    public const string BundleMissing = "PIPE-TEST-BUNDLE-MISSING";

    /// <summary>Seed 002 D's thresholds for a config bundle's simulation.</summary>
    public static readonly AcceptanceThresholds Thresholds = new(MaxFlipPct: 0.30m, MinJaccard: 0.5m, MaxLipschitz: 10m, MinDecisions: 1, MinSizeMult: 0.5m, MaxSizeMult: 2m);

    public async Task TestAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        var bundleBytes = release.Request.Bundle is { } b ? await services.ReadObjectAsync(b, cancellationToken) : null;
        var captureBytes = release.Request.Capture is { } c ? await services.ReadObjectAsync(c, cancellationToken) : null;
        if (bundleBytes is null || captureBytes is null)
        {
            codes.Add(BundleMissing);
            facts["missing"] = bundleBytes is null ? $"bundle {release.Request.Bundle}" : $"capture {release.Request.Capture}";
            return;
        }
        var capture = new SimulationCapture(captureBytes, table => new BinanceFrameDecoder(table));
        ConfigBundle candidate;
        try
        {
            candidate = ConfigBundle.Parse(Encoding.UTF8.GetString(bundleBytes), capture.Instruments);
        }
        catch (BundleLintException e)
        {
            codes.AddRange(e.Problems.Select(p => p.Code).Distinct());
            facts["lint"] = string.Join("; ", e.Problems.Take(10));
            return;
        }
        facts["bundle_rev"] = candidate.Rev;
        facts["rules_rev"] = candidate.EffectiveRules.Rev;
        if (candidate.EffectiveRules.Rev != release.Candidate.Config)
        {
            codes.Add(BundleMismatch);
            facts["mismatch"] = $"the bundle's effective rules are {candidate.EffectiveRules.Rev}, the candidate map's config is {release.Candidate.Config}";
            return;
        }
        var active = await services.Governance.VersionMaps.FindActiveAsync(release.Environment, cancellationToken);
        var activeRules = active?.Map.Artifacts.FirstOrDefault(a => a.Name == "rules") is { } artifact && await services.ReadObjectAsync(artifact.Digest, cancellationToken) is { } bytes
            ? RuleSet.Parse(Encoding.UTF8.GetString(bytes), capture.Instruments)
            : null;
        if (activeRules is null)
        {
            codes.Add(BundleMissing);
            facts["missing"] = $"the active map {active?.Map.Id ?? "(none)"} has no rules artifact to compare with";
            return;
        }
        var simulation = BundleSimulation.Simulate(capture, activeRules, candidate);
        var sensitivity = BundleSensitivity.Run(capture, candidate);
        var acceptance = BundleAcceptance.Evaluate(candidate, simulation, sensitivity, Thresholds);
        codes.AddRange(acceptance.ReasonCodes);
        facts["active_rules"] = activeRules.Rev;
        facts["capture"] = release.Request.Capture!;
        facts["acceptance"] = acceptance.ToJson();
    }
}
