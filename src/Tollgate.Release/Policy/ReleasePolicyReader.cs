using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Release.Analysis;

namespace Tollgate.Release.Policy;

/// <summary>One problem of a policy document: a reason code, the JSON path, and what is wrong.</summary>
public sealed record PolicyProblem(string Code, string Path, string Message)
{
    public override string ToString() => $"{Code} at {Path}: {Message}";
}

/// <summary>A policy document that cannot be used; every problem at once.</summary>
public sealed class ReleasePolicyException(IReadOnlyList<PolicyProblem> problems)
    : Exception($"release policy refused: {string.Join("; ", problems.Take(5))}")
{
    public IReadOnlyList<PolicyProblem> Problems { get; } = problems;
}

/// <summary>Reason codes of policy lint.</summary>
public static class PolicyReasons
{
    /// <summary>Not JSON, a required member missing, or a member of the wrong type.</summary>
    public const string Schema = "POLICY-SCHEMA";
    /// <summary>A member the format does not have (a typo must not be silently ignored).</summary>
    public const string UnknownField = "POLICY-UNKNOWN-FIELD";
    /// <summary>A value out of its range: weights not rising to 100%, negative windows, thresholds inverted.</summary>
    public const string Bounds = "POLICY-BOUNDS";
}

/// <summary>Reads a policy document (the format of <see cref="ReleasePolicy.ToJson"/>), refusing anything unknown or out of range.</summary>
public static class ReleasePolicyReader
{
    private static readonly string[] TopMembers =
        ["name", "kind", "environment", "split_by", "steps", "analysis_interval_seconds", "final_watch_seconds", "on_inconclusive", "max_rollback_seconds",
         "approval_before_activate", "approval_timeout_seconds", "score", "guard_rails", "metrics", "waived_gates"];
    private static readonly string[] StepMembers = ["weight_pct", "watch_seconds", "approval_before"];
    private static readonly string[] MetricMembers =
        ["name", "direction", "allowed_increase", "allowed_decrease", "critical", "minimum_sample_size", "tolerance", "weight", "nan_strategy", "sequential"];
    private static readonly string[] SequentialMembers = ["alpha", "beta", "margin", "margin_kind", "minimum_sample_per_side"];

    public static ReleasePolicy Parse(string json)
    {
        var problems = new List<PolicyProblem>();
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject
                ?? throw new ReleasePolicyException([new PolicyProblem(PolicyReasons.Schema, "$", "a policy is a JSON object")]);
        }
        catch (JsonException e)
        {
            throw new ReleasePolicyException([new PolicyProblem(PolicyReasons.Schema, "$", $"not JSON: {e.Message}")]);
        }
        var reader = new Reader(problems);
        reader.Unknown(root, "$", TopMembers);
        var name = reader.Text(root, "$", "name") ?? "";
        var kind = reader.OneOf(root, "$", "kind", ["code", "config_bundle"]) == "code" ? ReleaseKind.Code : ReleaseKind.ConfigBundle;
        var environment = reader.OneOf(root, "$", "environment", ["Paper", "Live", "Simulation"]) ?? "";
        var splitBy = reader.OneOf(root, "$", "split_by", ["symbol", "decision"]) == "symbol" ? CanarySplit.Symbol : CanarySplit.Decision;
        var steps = new List<PolicyStep>();
        if (reader.Array(root, "$", "steps") is { } stepArray)
        {
            if (stepArray.Count is 0 or > 10) reader.Bounds("$.steps", "a policy has 1-10 steps");
            var previous = 0;
            for (var i = 0; i < stepArray.Count; i++)
            {
                var path = $"$.steps[{i}]";
                if (stepArray[i] is not JsonObject step) { reader.Schema(path, "a step is an object"); continue; }
                reader.Unknown(step, path, StepMembers);
                var weight = reader.Number(step, path, "weight_pct", 0.01m, 100m);
                var watch = reader.Number(step, path, "watch_seconds", 0m, 86_400m);
                var approval = reader.Flag(step, path, "approval_before", false);
                if (weight is null || watch is null) continue;
                var bp = (int)Math.Round(weight.Value * 100m);
                if (bp <= previous) reader.Bounds($"{path}.weight_pct", $"weights must rise step by step ({previous / 100m}% then {weight}%)");
                previous = bp;
                steps.Add(new PolicyStep(bp, TimeSpan.FromSeconds((double)watch.Value), approval));
            }
            if (steps.Count > 0 && steps[^1].WeightBasisPoints != 10_000) reader.Bounds("$.steps", "the last step is 100%: a release ends with every decision on the candidate");
        }
        var interval = reader.Number(root, "$", "analysis_interval_seconds", 1m, 3600m) ?? 60m;
        var finalWatch = reader.Number(root, "$", "final_watch_seconds", 0m, 86_400m) ?? 0m;
        var inconclusive = reader.OneOf(root, "$", "on_inconclusive", ["pause", "abort"]) == "abort" ? InconclusiveAction.Abort : InconclusiveAction.Pause;
        var maxRollback = reader.Number(root, "$", "max_rollback_seconds", 1m, 3600m) ?? 180m;
        var approvalBefore = reader.Flag(root, "$", "approval_before_activate", false);
        var approvalTimeout = reader.Number(root, "$", "approval_timeout_seconds", 1m, 7 * 86_400m) ?? 3600m;

        var score = new ScoreThresholds(100m, 0m);
        if (reader.Object(root, "$", "score") is { } scoreObject)
        {
            reader.Unknown(scoreObject, "$.score", ["pass", "marginal"]);
            var pass = reader.Number(scoreObject, "$.score", "pass", 0m, 100m);
            var marginal = reader.Number(scoreObject, "$.score", "marginal", 0m, 100m);
            if (pass is { } p && marginal is { } m)
            {
                if (m > p) reader.Bounds("$.score", $"marginal {m} is above pass {p}");
                score = new ScoreThresholds(p, Math.Min(m, p));
            }
        }
        var guards = new GuardRails(0.05, 800, 3);
        if (reader.Object(root, "$", "guard_rails") is { } guardObject)
        {
            reader.Unknown(guardObject, "$.guard_rails", ["error_rate_max", "channel_latency_ms_max", "failed_health_checks_max"]);
            guards = new GuardRails(
                (double)(reader.Number(guardObject, "$.guard_rails", "error_rate_max", 0m, 1m) ?? 0.05m),
                (double)(reader.Number(guardObject, "$.guard_rails", "channel_latency_ms_max", 1m, 600_000m) ?? 800m),
                (int)(reader.Number(guardObject, "$.guard_rails", "failed_health_checks_max", 0m, 1000m) ?? 3m));
        }
        var metrics = new List<PolicyMetric>();
        if (reader.Array(root, "$", "metrics") is { } metricArray)
        {
            if (metricArray.Count is 0 or > 32) reader.Bounds("$.metrics", "a policy judges 1-32 metrics");
            for (var i = 0; i < metricArray.Count; i++)
                if (ReadMetric(reader, metricArray[i], $"$.metrics[{i}]") is { } metric)
                {
                    if (metrics.Any(m => m.Judge.Name == metric.Judge.Name)) reader.Bounds($"$.metrics[{i}].name", $"metric {metric.Judge.Name} is listed twice");
                    metrics.Add(metric);
                }
        }
        var waived = new List<string>();
        if (root["waived_gates"] is { } waivedNode)
        {
            if (waivedNode is not JsonArray waivedArray) reader.Schema("$.waived_gates", "an array of gate names");
            else
                for (var i = 0; i < waivedArray.Count; i++)
                    if (waivedArray[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && ReleasePolicy.Gates.Contains(v.GetValue<string>()) && !waived.Contains(v.GetValue<string>()))
                        waived.Add(v.GetValue<string>());
                    else reader.Schema($"$.waived_gates[{i}]", $"one of {string.Join(", ", ReleasePolicy.Gates)}, once");
        }
        if (problems.Count > 0) throw new ReleasePolicyException(problems);
        return new ReleasePolicy(name, kind, environment, splitBy, steps, TimeSpan.FromSeconds((double)interval), TimeSpan.FromSeconds((double)finalWatch),
            inconclusive, TimeSpan.FromSeconds((double)maxRollback), approvalBefore, TimeSpan.FromSeconds((double)approvalTimeout), score, guards, metrics, waived);
    }

    private static PolicyMetric? ReadMetric(Reader reader, JsonNode? node, string path)
    {
        if (node is not JsonObject metric) { reader.Schema(path, "a metric is an object"); return null; }
        reader.Unknown(metric, path, MetricMembers);
        var name = reader.Text(metric, path, "name");
        var direction = reader.OneOf(metric, path, "direction", ["increase", "decrease", "either"]);
        var allowedIncrease = reader.Number(metric, path, "allowed_increase", 1m, 1000m, required: false) ?? 1m;
        var allowedDecrease = reader.Number(metric, path, "allowed_decrease", 0.0001m, 1m, required: false) ?? 1m;
        var critical = reader.Flag(metric, path, "critical", false);
        var minimum = reader.Number(metric, path, "minimum_sample_size", 1m, 1_000_000m, required: false) ?? 10m;
        var tolerance = reader.Number(metric, path, "tolerance", 0m, 100m, required: false) ?? 0.25m;
        var weight = reader.Number(metric, path, "weight", 0m, 1000m, required: false) ?? 1m;
        var nan = reader.OneOf(metric, path, "nan_strategy", ["remove", "replacewithzero"], required: false) ?? "remove";
        var sequential = reader.Object(metric, path, "sequential", required: false) ?? new JsonObject();
        var sequentialPath = $"{path}.sequential";
        reader.Unknown(sequential, sequentialPath, SequentialMembers);
        var alpha = reader.Number(sequential, sequentialPath, "alpha", 0.0001m, 0.5m, required: false) ?? 0.02m;
        var beta = reader.Number(sequential, sequentialPath, "beta", 0.0001m, 0.5m, required: false) ?? 0.05m;
        var margin = reader.Number(sequential, sequentialPath, "margin", 0m, 100m, required: false) ?? 0.1m;
        var marginKind = reader.OneOf(sequential, sequentialPath, "margin_kind", ["relative", "absolute"], required: false) ?? "relative";
        var perSide = reader.Number(sequential, sequentialPath, "minimum_sample_per_side", 2m, 1_000_000m, required: false) ?? 30m;
        if (name is null || direction is null) return null;
        var changeDirection = Enum.Parse<ChangeDirection>(direction, ignoreCase: true);
        var nanStrategy = nan == "remove" ? NanStrategy.Remove : NanStrategy.ReplaceWithZero;
        return new PolicyMetric(
            new MetricConfig(name, changeDirection, (double)allowedIncrease, (double)allowedDecrease, critical, (int)minimum, (double)tolerance, weight, nanStrategy),
            new SequentialTestConfig(name, changeDirection, (double)alpha, (double)beta, (double)margin,
                marginKind == "relative" ? SequentialMarginKind.Relative : SequentialMarginKind.Absolute, MinimumSamplePerSide: (int)perSide, NanStrategy: nanStrategy));
    }

    private sealed class Reader(List<PolicyProblem> problems)
    {
        public void Schema(string path, string message) => problems.Add(new PolicyProblem(PolicyReasons.Schema, path, message));
        public void Bounds(string path, string message) => problems.Add(new PolicyProblem(PolicyReasons.Bounds, path, message));

        public void Unknown(JsonObject o, string path, string[] known)
        {
            foreach (var (key, _) in o)
                if (!known.Contains(key)) problems.Add(new PolicyProblem(PolicyReasons.UnknownField, $"{path}.{key}", $"'{key}' is not a member of this format"));
        }

        public string? Text(JsonObject o, string path, string name)
        {
            if (o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 and <= 128 } s) return s;
            Schema($"{path}.{name}", "a text of 1-128 characters is required");
            return null;
        }

        public string? OneOf(JsonObject o, string path, string name, string[] allowed, bool required = true)
        {
            if (o[name] is null && !required) return null;
            if (o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && allowed.FirstOrDefault(a => string.Equals(a, v.GetValue<string>(), StringComparison.OrdinalIgnoreCase)) is { } found)
                return found;
            Schema($"{path}.{name}", $"one of {string.Join(", ", allowed)} is required");
            return null;
        }

        public decimal? Number(JsonObject o, string path, string name, decimal min, decimal max, bool required = true)
        {
            if (o[name] is null)
            {
                if (required) Schema($"{path}.{name}", "a number is required");
                return null;
            }
            if (o[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number ||
                !decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                Schema($"{path}.{name}", "a number is required");
                return null;
            }
            if (d < min || d > max)
            {
                Bounds($"{path}.{name}", $"{d.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}-{max.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }
            return d;
        }

        public bool Flag(JsonObject o, string path, string name, bool otherwise)
        {
            if (o[name] is null) return otherwise;
            if (o[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
            Schema($"{path}.{name}", "true or false is required");
            return otherwise;
        }

        public JsonArray? Array(JsonObject o, string path, string name)
        {
            if (o[name] is JsonArray a) return a;
            Schema($"{path}.{name}", "an array is required");
            return null;
        }

        public JsonObject? Object(JsonObject o, string path, string name, bool required = true)
        {
            if (o[name] is JsonObject obj) return obj;
            if (o[name] is null && !required) return null;
            Schema($"{path}.{name}", "an object is required");
            return null;
        }
    }
}
