using System.Globalization;
using System.Text.Json;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Output;

/// <summary>An instance as plain text, one field per line.</summary>
public static class StatusPrinter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Print(TextWriter output, OrchestrationStatus status)
    {
        output.WriteLine($"instance  {status.InstanceId}");
        output.WriteLine($"name      {status.Name}");
        output.WriteLine($"status    {status.RuntimeStatus}");
        output.WriteLine($"created   {Time(status.CreatedAt)}");
        output.WriteLine($"updated   {Time(status.LastUpdatedAt)}");
        if (status.ScheduledStartAt is { } startAt) output.WriteLine($"starts    {Time(startAt)}");
        if (status.Progress is { } progress) output.WriteLine($"progress  {progress}");
        else if (status.CustomStatus is { } custom) output.WriteLine($"custom    {custom.GetRawText()}");
        PrintOutcome(output, status);
    }

    /// <summary>The output of a completed instance, or the failure of a failed one.</summary>
    public static void PrintOutcome(TextWriter output, OrchestrationStatus status)
    {
        if (status.Failure is { } failure) output.WriteLine($"failure   {failure.ErrorType}: {failure.ErrorMessage}");
        if (status.Output is { } result && result.ValueKind != JsonValueKind.Undefined)
            output.WriteLine($"output    {JsonSerializer.Serialize(result, Indented).Replace("\n", "\n          ")}");
    }

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static int ExitCodeOf(OrchestrationStatus status)
        => status.RuntimeStatus is "Failed" or "Terminated" ? ExitCodes.OrchestrationFailed : ExitCodes.Success;
}
