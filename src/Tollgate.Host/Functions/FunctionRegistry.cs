using System.Text.RegularExpressions;

namespace Tollgate.Host.Functions;

/// <summary>
/// The single list of Tollgate's functions. The standalone host maps its HTTP routes and runs its
/// timers from here, and the Azure packaging generates <c>function.json</c> from here. Every
/// definition is checked when it is added, so a bad CRON or an unknown time zone stops the host at
/// startup with the function's name instead of silently never firing.
/// </summary>
public sealed partial class FunctionRegistry
{
    private static readonly HashSet<string> HttpMethods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };
    private readonly List<FunctionDefinition> _functions = new();

    public IReadOnlyList<FunctionDefinition> Functions => _functions;

    /// <summary>The functions of one trigger kind.</summary>
    public IEnumerable<(FunctionDefinition Function, TTrigger Trigger)> OfTrigger<TTrigger>() where TTrigger : FunctionTrigger
        => _functions.Where(f => f.Trigger is TTrigger).Select(f => (f, (TTrigger)f.Trigger));

    public FunctionDefinition? Find(string name) => _functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <exception cref="ArgumentException">The definition is invalid or its name is taken; the message names the function.</exception>
    public FunctionRegistry Add(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (string.IsNullOrWhiteSpace(function.Name) || !FunctionName().IsMatch(function.Name))
            throw new ArgumentException($"'{function.Name}' is not a valid function name (a letter, then letters, digits, '-' or '_', at most 127).", nameof(function));
        if (Find(function.Name) is not null)
            throw new ArgumentException($"A function named '{function.Name}' is already registered.", nameof(function));
        Validate(function.Name, function.Trigger, function.Access);
        _functions.Add(function);
        return this;
    }

    private static void Validate(string name, FunctionTrigger trigger, FunctionAccess? access)
    {
        switch (trigger)
        {
            case HttpTrigger http:
                if (string.IsNullOrWhiteSpace(http.Route) || http.Route.StartsWith('/'))
                    throw new ArgumentException($"HTTP function '{name}': the route must be relative (e.g. 'orchestrations/{{id}}'), got '{http.Route}'.", nameof(trigger));
                if (http.Methods is not { Count: > 0 } || http.Methods.Any(m => !HttpMethods.Contains(m)))
                    throw new ArgumentException($"HTTP function '{name}': methods must be upper-case HTTP methods, got [{string.Join(", ", http.Methods ?? [])}].", nameof(trigger));
                if (access is null)
                    throw new ArgumentException($"HTTP function '{name}' declares no access: every endpoint names the action it performs, or why it is open.", nameof(trigger));
                break;
            case TimerTrigger timer:
                TimerSchedule.Parse(name, timer);
                break;
            case StreamTrigger stream:
                if (string.IsNullOrWhiteSpace(stream.StreamName) || string.IsNullOrWhiteSpace(stream.ConsumerGroup))
                    throw new ArgumentException($"Stream function '{name}': stream name and consumer group are required.", nameof(trigger));
                if (stream.MaxBatchSize is < 1 or > 10_000)
                    throw new ArgumentException($"Stream function '{name}': max batch size must be 1-10000, got {stream.MaxBatchSize}.", nameof(trigger));
                break;
            case QueueTrigger queue:
                if (string.IsNullOrWhiteSpace(queue.QueueName) || !QueueName().IsMatch(queue.QueueName))
                    throw new ArgumentException($"Queue function '{name}': '{queue.QueueName}' is not a valid queue name (3-63 lower-case letters, digits and single hyphens).", nameof(trigger));
                break;
            default:
                throw new ArgumentException($"Function '{name}': unsupported trigger {trigger?.GetType().Name ?? "null"}.", nameof(trigger));
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,126}$")]
    private static partial Regex FunctionName();

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
