using Tollgate.Release.Analysis;
using Tollgate.Release.Policy;

namespace Tollgate.Release.Tests.Policy;

public sealed class ReleasePolicyReaderTests
{
    private static string SamplesDir => Path.Combine(FindRepo(), "samples", "policies");

    public static TheoryData<string> Samples => [.. Directory.GetFiles(Path.Combine(FindRepo(), "samples", "policies"), "*.json").Select(Path.GetFileName)!];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_policy_parses_and_its_canonical_form_reads_back_to_the_same_rev(string file)
    {
        var policy = ReleasePolicyReader.Parse(File.ReadAllText(Path.Combine(SamplesDir, file)));
        Assert.Matches("^policy-[0-9a-f]{16}$", policy.Rev);
        Assert.Equal(10_000, policy.Steps[^1].WeightBasisPoints);
        var again = ReleasePolicyReader.Parse(policy.ToJson().ToJsonString());
        Assert.Equal(policy.Rev, again.Rev);
    }

    [Fact]
    public void The_seed_code_policy_has_seed_001_s_steps_and_windows()
    {
        var policy = ReleasePolicyReader.Parse(File.ReadAllText(Path.Combine(SamplesDir, "code-release-live.json")));
        Assert.Equal([500, 2500, 5000, 10_000], policy.Steps.Select(s => s.WeightBasisPoints));
        Assert.Equal([15, 30, 30, 0], policy.Steps.Select(s => (int)s.Watch.TotalMinutes));
        Assert.Equal(TimeSpan.FromMinutes(10), policy.FinalWatch);
        Assert.Equal(TimeSpan.FromSeconds(180), policy.MaxRollbackTime);
        Assert.True(policy.ApprovalBeforeActivate);
        Assert.Equal(0.05, policy.Guards.ErrorRateMax);
        Assert.Contains(policy.Metrics, m => m.Judge.Name == "slippage_bps" && m.Judge.Critical && m.Judge.Direction == ChangeDirection.Increase);
    }

    [Theory]
    [InlineData("not json", PolicyReasons.Schema, "$")]
    [InlineData("""{"name":"x"}""", PolicyReasons.Schema, "$.kind")]
    [InlineData(Valid + "", null, null)]
    public void Malformed_documents_are_refused_with_their_code_and_path(string json, string? code, string? path)
    {
        if (code is null) { ReleasePolicyReader.Parse(json); return; }
        var refused = Assert.Throws<ReleasePolicyException>(() => ReleasePolicyReader.Parse(json));
        Assert.Contains(refused.Problems, p => p.Code == code && p.Path == path);
    }

    [Theory]
    [InlineData("\"steps\": [ { \"weight_pct\": 10, \"watch_seconds\": 60 }, { \"weight_pct\": 100, \"watch_seconds\": 0 } ]", "\"steps\": [ { \"weight_pct\": 50, \"watch_seconds\": 60 }, { \"weight_pct\": 10, \"watch_seconds\": 0 } ]", PolicyReasons.Bounds, "$.steps[1].weight_pct")]
    [InlineData("\"steps\": [ { \"weight_pct\": 10, \"watch_seconds\": 60 }, { \"weight_pct\": 100, \"watch_seconds\": 0 } ]", "\"steps\": [ { \"weight_pct\": 10, \"watch_seconds\": 60 }, { \"weight_pct\": 90, \"watch_seconds\": 0 } ]", PolicyReasons.Bounds, "$.steps")]
    [InlineData("\"watch_seconds\": 60", "\"watch_seconds\": -1", PolicyReasons.Bounds, "$.steps[0].watch_seconds")]
    [InlineData("\"on_inconclusive\": \"pause\"", "\"on_inconclusive\": \"promote\"", PolicyReasons.Schema, "$.on_inconclusive")]
    [InlineData("\"pass\": 95, \"marginal\": 75", "\"pass\": 70, \"marginal\": 75", PolicyReasons.Bounds, "$.score")]
    [InlineData("\"max_rollback_seconds\": 180", "\"max_rollback_seconds\": 180, \"max_rolback\": 1", PolicyReasons.UnknownField, "$.max_rolback")]
    [InlineData("\"direction\": \"increase\"", "\"direction\": \"up\"", PolicyReasons.Schema, "$.metrics[0].direction")]
    [InlineData("\"alpha\": 0.02", "\"alpha\": 0.9", PolicyReasons.Bounds, "$.metrics[0].sequential.alpha")]
    [InlineData("\"waived_gates\": []", "\"waived_gates\": [\"ALL\"]", PolicyReasons.Schema, "$.waived_gates[0]")]
    [InlineData("\"error_rate_max\": 0.05", "\"error_rate_max\": 2", PolicyReasons.Bounds, "$.guard_rails.error_rate_max")]
    public void Each_bad_value_is_refused_naming_its_code_and_path(string good, string bad, string code, string path)
    {
        Assert.Contains(good, Valid);
        var refused = Assert.Throws<ReleasePolicyException>(() => ReleasePolicyReader.Parse(Valid.Replace(good, bad)));
        Assert.Contains(refused.Problems, p => p.Code == code && p.Path == path);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var refused = Assert.Throws<ReleasePolicyException>(() => ReleasePolicyReader.Parse(
            Valid.Replace("\"on_inconclusive\": \"pause\"", "\"on_inconclusive\": \"x\"").Replace("\"alpha\": 0.02", "\"alpha\": 0.9")));
        Assert.True(refused.Problems.Count >= 2);
    }

    private const string Valid = """
        {
          "name": "p", "kind": "config_bundle", "environment": "Paper", "split_by": "decision",
          "steps": [ { "weight_pct": 10, "watch_seconds": 60 }, { "weight_pct": 100, "watch_seconds": 0 } ],
          "analysis_interval_seconds": 10, "final_watch_seconds": 60, "on_inconclusive": "pause", "max_rollback_seconds": 180,
          "approval_before_activate": false, "approval_timeout_seconds": 600, "score": { "pass": 95, "marginal": 75 },
          "guard_rails": { "error_rate_max": 0.05, "channel_latency_ms_max": 800, "failed_health_checks_max": 3 },
          "metrics": [ { "name": "reject_rate", "direction": "increase", "sequential": { "alpha": 0.02 } } ],
          "waived_gates": []
        }
        """;

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
