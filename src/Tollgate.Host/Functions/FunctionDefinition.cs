using Microsoft.AspNetCore.Http;

namespace Tollgate.Host.Functions;

/// <summary>One function: a name (unique, case-insensitive), what triggers it, who may call it (HTTP), and its code.</summary>
public sealed record FunctionDefinition(string Name, FunctionTrigger Trigger, FunctionHandler Handler, FunctionAccess? Access = null)
{
    /// <summary>An HTTP function whose handler answers with an <see cref="IResult"/>; <paramref name="access"/> is checked before it runs.</summary>
    public static FunctionDefinition Http(string name, string route, IReadOnlyList<string> methods, FunctionAccess access, Func<HttpContext, Task<IResult>> handler)
        => new(name, new HttpTrigger(route, methods), async context =>
        {
            var http = ((HttpInput)context.Input).Http;
            var result = await handler(http);
            await result.ExecuteAsync(http);
        }, access);

    /// <summary>A timer function.</summary>
    public static FunctionDefinition Timer(string name, string cron, string timeZoneId, Func<TimerInput, IServiceProvider, CancellationToken, Task> handler)
        => new(name, new TimerTrigger(cron, timeZoneId), context => handler((TimerInput)context.Input, context.Services, context.CancellationToken));
}
