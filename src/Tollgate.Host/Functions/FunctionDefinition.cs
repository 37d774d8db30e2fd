using Microsoft.AspNetCore.Http;

namespace Tollgate.Host.Functions;

/// <summary>One function: a name (unique, case-insensitive), what triggers it, and its code.</summary>
public sealed record FunctionDefinition(string Name, FunctionTrigger Trigger, FunctionHandler Handler)
{
    /// <summary>An HTTP function whose handler answers with an <see cref="IResult"/>.</summary>
    public static FunctionDefinition Http(string name, string route, IReadOnlyList<string> methods, Func<HttpContext, Task<IResult>> handler)
        => new(name, new HttpTrigger(route, methods), async context =>
        {
            var http = ((HttpInput)context.Input).Http;
            var result = await handler(http);
            await result.ExecuteAsync(http);
        });

    /// <summary>A timer function.</summary>
    public static FunctionDefinition Timer(string name, string cron, string timeZoneId, Func<TimerInput, IServiceProvider, CancellationToken, Task> handler)
        => new(name, new TimerTrigger(cron, timeZoneId), context => handler((TimerInput)context.Input, context.Services, context.CancellationToken));
}
