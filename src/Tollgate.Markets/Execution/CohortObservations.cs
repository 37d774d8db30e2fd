using System.Collections.Concurrent;

namespace Tollgate.Markets.Execution;

/// <summary>
/// Timestamped per-event observations of each cohort (environment, config rev, metric): the samples a canary
/// analysis compares between the canary and the baseline rev over a watch window. Each series keeps its last
/// <see cref="Capacity"/> observations; a window older than that reads what is left, and says how much that is.
/// </summary>
public sealed class CohortObservations(TimeProvider time)
{
    public const int Capacity = 65_536;
    private readonly ConcurrentDictionary<(string Environment, string Rev, string Metric), Series> series = new();

    public void Add(string environment, string rev, string metric, double value)
        => series.GetOrAdd((environment, rev, metric), _ => new Series()).Add(time.GetUtcNow().UtcTicks, value);

    /// <summary>The values observed at <c>from ≤ t &lt; to</c>, oldest first.</summary>
    public IReadOnlyList<double> Read(string environment, string rev, string metric, DateTimeOffset from, DateTimeOffset to)
        => series.TryGetValue((environment, rev, metric), out var s) ? s.Read(from.UtcTicks, to.UtcTicks) : [];

    private sealed class Series
    {
        private readonly long[] at = new long[Capacity];
        private readonly double[] values = new double[Capacity];
        private long count;

        public void Add(long ticks, double value)
        {
            lock (values)
            {
                var slot = (int)(count++ % Capacity);
                at[slot] = ticks;
                values[slot] = value;
            }
        }

        public IReadOnlyList<double> Read(long from, long to)
        {
            var found = new List<double>();
            lock (values)
            {
                var first = Math.Max(0, count - Capacity);
                for (var i = first; i < count; i++)
                {
                    var slot = (int)(i % Capacity);
                    if (at[slot] >= from && at[slot] < to) found.Add(values[slot]);
                }
            }
            return found;
        }
    }
}
