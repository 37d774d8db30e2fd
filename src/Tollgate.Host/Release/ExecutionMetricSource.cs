using Tollgate.Markets.Execution;
using Tollgate.Release.Metrics;

namespace Tollgate.Host.Release;

/// <summary>The built-in canary metric source: the execution plane's own per-event observations of each config rev (<see cref="CohortObservations"/>).</summary>
public sealed class ExecutionMetricSource(ExecutionMetrics metrics) : ICanaryMetricSource
{
    public string Name => "execution";

    public Task<MetricSamples> ReadAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        if (!CanaryMetricNames.All.Contains(query.Metric))
            throw new MetricSourceException(MetricSourceReasons.Unknown, $"the execution plane observes no metric '{query.Metric}'");
        var values = metrics.Observations.Read(query.Environment, query.ConfigRev, query.Metric, query.From, query.To);
        return Task.FromResult(new MetricSamples(query, values, Name, $"observations {query.Environment}/{query.ConfigRev}/{query.Metric}"));
    }
}
