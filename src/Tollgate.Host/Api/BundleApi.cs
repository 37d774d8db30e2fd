using Tollgate.Governance.Identity;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;
using Tollgate.Ledger;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Storage;

namespace Tollgate.Host.Api;

/// <summary>
/// Replay bundles over HTTP: seal one (members stored once by content hash, the manifest signed with the ledger
/// key, and the manifest's hash recorded as a "bundle" ledger entry), and read manifests and signatures back.
/// </summary>
public sealed partial class BundleApi(LedgerHost ledger, TimeProvider clock) : IFunctionModule
{
    /// <summary>Base64 inflates members by a third; 64 MiB of JSON is ample for a replay slice sent this way.</summary>
    public const int MaxRequestBytes = 64 * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("bundles-create", "bundles", ["POST"], FunctionAccess.Requires(GovernanceAction.CreateBundle), CreateAsync))
        .Add(FunctionDefinition.Http("bundles-manifest", "bundles/{hash}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadBundles), http => ReadAsync(http, LedgerLayout.BundleManifest, "application/json")))
        .Add(FunctionDefinition.Http("bundles-signature", "bundles/{hash}/signature", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadBundles), http => ReadAsync(http, LedgerLayout.BundleSignature, "text/plain; charset=utf-8")));

    /// <summary>The body of <c>POST /api/bundles</c>.</summary>
    public sealed record CreateBundle(
        string EventRef, string? Environment, string? CreatedBy, string? CorrelationId, IReadOnlyList<Member>? Members, IReadOnlyList<long>? LedgerIndexes);

    public sealed record Member(string Role, string Name, string? MediaType, string ContentBase64);

    private async Task<IResult> CreateAsync(HttpContext http)
    {
        try
        {
            var writer = ledger.Require();
            var body = await RequestBody.ReadJsonAsync(http.Request, MaxRequestBytes, http.RequestAborted);
            if (body.Refusal is { } refused) return refused;
            CreateBundle? request;
            try { request = body.Value?.Deserialize<CreateBundle>(Json); }
            catch (JsonException e) { return ApiErrors.Result(BundleReason.BadRequest, $"The body is not a bundle request: {e.Message}"); }
            if (request is null || string.IsNullOrWhiteSpace(request.EventRef))
                return ApiErrors.Result(BundleReason.BadRequest, "A bundle request names its eventRef and lists members and/or ledgerIndexes.");
            var members = new List<BundleMemberInput>();
            foreach (var member in request.Members ?? [])
            {
                byte[] content;
                try { content = Convert.FromBase64String(member.ContentBase64 ?? ""); }
                catch (FormatException) { return ApiErrors.Result(BundleReason.BadRequest, $"Member '{member.Name}': contentBase64 is not base64."); }
                members.Add(new BundleMemberInput(member.Role ?? "", member.Name ?? "", member.MediaType ?? "application/octet-stream", content));
            }
            var actor = CallerIdentity.Of(http).Subject;
            if (request.CreatedBy is { Length: > 0 } by && by != actor)
                throw new Governance.GovernanceException(Governance.GovernanceReasons.ActorMismatch,
                    $"The bundle names '{by}' as its creator, but the token is {actor}'s; nothing was sealed.");
            var now = clock.GetUtcNow();
            var sealedBundle = await new BundleWriter(ledger.Store!, ledger.Signer!).CreateAsync(
                new BundleRequest(request.EventRef, request.Environment, actor, now, members, request.LedgerIndexes ?? []), writer, http.RequestAborted);
            var correlation = request.CorrelationId is { Length: > 0 } id ? id : request.EventRef;
            var receipt = await writer.AppendAsync(sealedBundle.ToLedgerEntry(actor, correlation, now), http.RequestAborted);
            return Results.Json(new
            {
                sealedBundle.ManifestSha256,
                LedgerIndex = receipt.Index,
                Members = sealedBundle.Manifest.Members.Count,
                sealedBundle.Manifest.MissingRoles,
            }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        }
        catch (BundleException refused) { return ApiErrors.Result(refused.Reason, refused.Message); }
        catch (LedgerException refused) { return ApiErrors.Result(refused); }
    }

    private async Task<IResult> ReadAsync(HttpContext http, Func<string, string> name, string contentType)
    {
        try
        {
            ledger.Require();
            var hash = http.Request.RouteValues["hash"]?.ToString() ?? "";
            if (!Sha256Hex().IsMatch(hash)) return ApiErrors.Result(BundleReason.BadRequest, "A bundle is named by its manifest's SHA-256: 64 lowercase hex digits.");
            var bytes = await ledger.Store!.ReadObjectAsync(name(hash), http.RequestAborted);
            return bytes is null
                ? ApiErrors.Result(BundleReason.NotFound, $"No bundle {hash}.")
                : Results.Bytes(bytes, contentType);
        }
        catch (LedgerException refused) { return ApiErrors.Result(refused); }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
