using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// Which trigger kinds the standalone host can drive. A function whose trigger kind has no driver
/// here stops the host at startup: it is never silently left unrun.
/// </summary>
public static class StandaloneDrivers
{
    public static readonly IReadOnlyCollection<Type> Driven = [typeof(HttpTrigger), typeof(TimerTrigger), typeof(StreamTrigger)];

    /// <exception cref="InvalidOperationException">Some registered function has a trigger kind without a driver; the message lists them.</exception>
    public static void EnsureEveryTriggerIsDriven(FunctionRegistry registry)
    {
        var undriven = registry.Functions.Where(f => !Driven.Contains(f.Trigger.GetType())).ToList();
        if (undriven.Count == 0) return;
        var list = string.Join("; ", undriven.Select(f => $"{f.Name} ({f.Trigger})"));
        throw new InvalidOperationException(
            $"The standalone host has no driver for {string.Join(" and ", undriven.Select(f => f.Trigger.GetType().Name).Distinct())} functions: {list}. " +
            $"It drives {string.Join(" and ", Driven.Select(t => t.Name))} only; add a driver before registering such functions.");
    }
}
