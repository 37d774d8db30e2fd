using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Secrets;

namespace Tollgate.Host.Security;

/// <summary>
/// The last line before the wire: JSON and text responses up to 1 MiB are held until complete and cleaned of every
/// secret value, whatever produced them (an error echoing input, an orchestration's output). Larger bodies pass
/// unchanged (they come from the ledger and bundle stores, which refuse secrets on the way in), and so does the
/// kill switch's event stream, which must flow as it is written and carries only kill-switch states.
/// </summary>
public static class RedactingResponses
{
    private const int MaxHeld = 1024 * 1024;

    public static IApplicationBuilder UseSecretRedaction(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var redactor = http.RequestServices.GetRequiredService<SecretRedactor>();
        // Event streams must flow as they are written; they carry only kill-switch states (see the summary).
        if (redactor.Count == 0 || http.Request.Path.Value?.EndsWith(EventStreamPath, StringComparison.Ordinal) == true)
        {
            await next(http);
            return;
        }
        var original = http.Response.Body;
        await using var held = new MemoryStream();
        http.Response.Body = held;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        // Headers too (a Location can carry an id the caller chose); they are not sent until the body is.
        foreach (var header in http.Response.Headers.ToList())
        {
            var value = header.Value.ToString();
            var clean = redactor.Redact(value);
            if (clean != value) http.Response.Headers[header.Key] = clean;
        }
        if (held.Length == 0) return;
        var type = http.Response.ContentType ?? "";
        if (held.Length <= MaxHeld && (type.Contains("json", StringComparison.Ordinal) || type.StartsWith("text/", StringComparison.Ordinal)))
        {
            var text = System.Text.Encoding.UTF8.GetString(held.GetBuffer(), 0, (int)held.Length);
            var clean = redactor.Redact(text);
            if (text != clean)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(clean);
                http.Response.ContentLength = bytes.Length;
                await original.WriteAsync(bytes, http.RequestAborted);
                return;
            }
        }
        held.Position = 0;
        await held.CopyToAsync(original, http.RequestAborted);
    });

    /// <summary>The kill switch's server-sent event stream.</summary>
    public const string EventStreamPath = "/kill-switch/events";
}
