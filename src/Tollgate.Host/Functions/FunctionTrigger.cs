namespace Tollgate.Host.Functions;

/// <summary>
/// What makes a function run. A closed set of plain-data records: the standalone host drives each
/// kind itself, and the Azure packaging step turns each into a <c>function.json</c> binding, so a
/// trigger carries no behaviour and no references to services.
/// </summary>
public abstract record FunctionTrigger
{
    // Only the records below derive from this: the set of trigger kinds is closed.
    private protected FunctionTrigger() { }
}

/// <summary>An HTTP request on <paramref name="Route"/> (relative to the route prefix, "api" by default) with one of <paramref name="Methods"/>.</summary>
/// <param name="Route">An ASP.NET Core / Azure Functions route template, e.g. <c>orchestrations/{id}</c>.</param>
/// <param name="Methods">Upper-case HTTP methods, e.g. <c>GET</c>, <c>POST</c>.</param>
public sealed record HttpTrigger(string Route, IReadOnlyList<string> Methods) : FunctionTrigger;

/// <summary>A CRON schedule evaluated in a time zone; each occurrence runs once across all host instances.</summary>
/// <param name="Cron">Six fields, seconds first (<c>sec min hour day month weekday</c>), as Azure Functions' NCRONTAB.</param>
/// <param name="TimeZoneId">An IANA (or Windows) time zone id; occurrences follow its daylight-saving rules.</param>
public sealed record TimerTrigger(string Cron, string TimeZoneId = "UTC") : FunctionTrigger;

/// <summary>A batch of events from an event stream (an Event Hub in Azure) read by a consumer group.</summary>
public sealed record StreamTrigger(string StreamName, string ConsumerGroup, int MaxBatchSize) : FunctionTrigger;

/// <summary>One message from a storage queue.</summary>
public sealed record QueueTrigger(string QueueName) : FunctionTrigger;
