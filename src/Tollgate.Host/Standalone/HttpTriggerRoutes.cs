using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Durable;
using Tollgate.Governance;
using Tollgate.Host.Api;
using Tollgate.Host.Security;
using Tollgate.Ledger;
using Tollgate.Host.Functions;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The standalone driver of HTTP triggers: every <see cref="HttpTrigger"/> in the registry becomes
/// a Kestrel route under the route prefix. No route is mapped anywhere else.
/// </summary>
public static class HttpTriggerRoutes
{
    public static void MapHttpTriggers(this IEndpointRouteBuilder endpoints, FunctionRegistry registry, string routePrefix)
    {
        foreach (var (function, trigger) in registry.OfTrigger<HttpTrigger>())
        {
            var pattern = string.IsNullOrEmpty(routePrefix) ? trigger.Route : $"{routePrefix}/{trigger.Route}";
            endpoints.MapMethods(pattern, trigger.Methods, http => InvokeAsync(function, http)).WithDisplayName(function.Name);
        }
    }

    private static async Task InvokeAsync(FunctionDefinition function, HttpContext http)
    {
        try
        {
            if (function.Access is RequiresAction { Action: var action }
                && await http.RequestServices.GetRequiredService<AccessGuard>().CheckAsync(http, action) is { } denied)
            {
                await denied.ExecuteAsync(http);
                return;
            }
            await function.Handler(new FunctionContext(function.Name, new HttpInput(http), http.RequestServices, http.RequestAborted));
        }
        catch (DurableClientException refused) when (!http.Response.HasStarted)
        {
            await ApiErrors.Result(refused).ExecuteAsync(http);
        }
        catch (GovernanceException refused) when (!http.Response.HasStarted)
        {
            var status = ApiErrors.StatusFor(refused.Reason);
            var answer = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
                ? await http.RequestServices.GetRequiredService<AccessGuard>().DenyAsync(http, function.Name, refused.Reason, status, refused.Message,
                    CallerIdentity.Find(http)?.Subject)
                : ApiErrors.Result(refused);
            await answer.ExecuteAsync(http);
        }
        catch (LedgerException refused) when (!http.Response.HasStarted)
        {
            await ApiErrors.Result(refused).ExecuteAsync(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (Exception failure) when (!http.Response.HasStarted)
        {
            var storage = http.RequestServices.GetRequiredService<HostSettings>().Storage;
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tollgate.Host.Functions")
                .LogError("{Function} failed: {Error}", function.Name, storage.Redact(failure.ToString()));
            var answer = failure switch
            {
                Azure.RequestFailedException { Status: > 0 } storageError => ApiErrors.Result(ApiReasons.StorageUnavailable,
                    $"The task hub's storage refused the request ({storageError.Status} {storageError.ErrorCode}). See /api/health."),
                Azure.RequestFailedException or HttpRequestException or TimeoutException or IOException => ApiErrors.Result(ApiReasons.StorageUnavailable,
                    "The task hub's storage did not answer; try again. See /api/health."),
                _ => ApiErrors.Result(ApiReasons.InternalError, $"{function.Name} failed; the host log has the details."),
            };
            await answer.ExecuteAsync(http);
        }
    }
}
