using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Identity;
using Tollgate.Host.Api;
using Tollgate.Host.Functions;
using Tollgate.Host.Markets;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Strategy;
using Tollgate.Release.Bundles;

namespace Tollgate.Host.Release;

/// <summary>
/// Config bundles over HTTP (seed 002 S10; <c>/api/bundles</c> already names replay bundles, so these are
/// <c>/api/config-bundles</c>): <c>POST</c> with <c>{bundle, mode, capture?, environment?}</c>. <c>lint</c> checks the
/// bundle against the instruments this host trades and answers its rev, its effective rules (the config a map names)
/// and their canonical JSON; <c>dry-run</c> runs the candidate alone through the paper order path on a recorded
/// capture; <c>simulate</c> compares it decision by decision with the environment's active rules on the capture, runs
/// the sensitivity check and the seed 002 D acceptance that a config release's Test stage applies. Stores nothing.
/// </summary>
public sealed class ConfigBundleApi(ReleaseServices services, MarketPlane market) : IFunctionModule
{
    private const int MaxBodyBytes = 256 * 1024;
    public const string ModeInvalid = "BUNDLE-MODE";
    public const string CaptureMissing = "BUNDLE-CAPTURE-MISSING";

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("config-bundles-check", "config-bundles", ["POST"], FunctionAccess.Requires(GovernanceAction.ReadReleases), CheckAsync));

    private async Task<IResult> CheckAsync(HttpContext http)
    {
        var body = await RequestBody.ReadJsonAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;
        if (body.Value is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("bundle", out var bundleJson) || bundleJson.ValueKind != JsonValueKind.Object)
            return ApiErrors.Result(BundleReasons.Schema, "The body is {bundle: {...}, mode: lint|dry-run|simulate, capture?: \"sha256:<hex>\", environment?: Paper|Live}.");
        foreach (var member in root.EnumerateObject())
            if (member.Name is not ("bundle" or "mode" or "capture" or "environment"))
                return ApiErrors.Result(BundleReasons.UnknownField, $"'{Governance.Requests.RequestObject.Printable(member.Name)}' is not a member of a config-bundle request.");
        var mode = root.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "lint";
        if (mode is not ("lint" or "dry-run" or "simulate")) return ApiErrors.Result(ModeInvalid, "mode is lint, dry-run or simulate.");
        if (market.Handler is not { } handler) return ApiErrors.Result(MarketReasons.NotRunning, "The market plane is starting: its instruments are not known yet.");
        ConfigBundle bundle;
        try { bundle = ConfigBundle.Parse(bundleJson.GetRawText(), handler.Instruments); }
        catch (BundleLintException e) { return ApiErrors.Result(e.Problems[0].Code, $"{e.Problems.Count} problem(s): {string.Join("; ", e.Problems)}"); }
        var lint = new
        {
            bundle_rev = bundle.Rev, rules_rev = bundle.EffectiveRules.Rev, rules = bundle.EffectiveRules.Canonical,
            universe = bundle.Universe.Select(i => i.Key), factors = bundle.Factors.Select(f => new { f.Name, f.Value, f.Min, f.Max }),
        };
        if (mode == "lint") return GovernanceJson.Ok(new { mode, lint });

        if (!(root.TryGetProperty("capture", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { } digest)
            || await services.ReadObjectAsync(digest, http.RequestAborted) is not { } captureBytes)
            return ApiErrors.Result(CaptureMissing, $"{mode} replays a recorded capture: name one stored in the object store (capture: \"sha256:<hex>\").");
        var capture = new SimulationCapture(captureBytes, table => new BinanceFrameDecoder(table));
        try { bundle = bundle.Bind(capture.Instruments); }
        catch (BundleLintException e) { return ApiErrors.Result(e.Problems[0].Code, $"against the capture's instruments: {string.Join("; ", e.Problems)}"); }
        if (mode == "dry-run")
        {
            var dry = await BundleSimulation.DryRunAsync(capture, bundle, null, http.RequestAborted);
            return GovernanceJson.Ok(new { mode, lint, dry_run = JsonDocument.Parse(dry.ToJson()).RootElement });
        }
        var environment = root.TryGetProperty("environment", out var e2) && e2.GetString() == "Live" ? Governance.Environments.DeploymentEnvironment.Live : Governance.Environments.DeploymentEnvironment.Paper;
        var active = await services.Governance.VersionMaps.FindActiveAsync(environment, http.RequestAborted);
        if (active?.Map.Artifacts.FirstOrDefault(a => a.Name == "rules") is not { } artifact || await services.ReadObjectAsync(artifact.Digest, http.RequestAborted) is not { } rulesBytes)
            return ApiErrors.Result(ConfigBundleStage.BundleMissing, $"{environment} has no active map with a rules artifact to simulate against.");
        var activeRules = RuleSet.Parse(Encoding.UTF8.GetString(rulesBytes), capture.Instruments);
        var simulation = BundleSimulation.Simulate(capture, activeRules, bundle);
        var sensitivity = BundleSensitivity.Run(capture, bundle);
        var acceptance = BundleAcceptance.Evaluate(bundle, simulation, sensitivity, ConfigBundleStage.Thresholds);
        return GovernanceJson.Ok(new
        {
            mode, lint, verdict = acceptance.VerdictCode, reason_codes = acceptance.ReasonCodes,
            simulation = JsonDocument.Parse(simulation.ToJson()).RootElement, sensitivity = JsonDocument.Parse(sensitivity.ToJson()).RootElement,
            acceptance = JsonDocument.Parse(acceptance.ToJson()).RootElement,
        });
    }
}
