using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Identity;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;

namespace Tollgate.Host.Api;

/// <summary>
/// Content-addressed, write-once objects (<c>PUT /api/objects</c>, <c>GET /api/objects/{sha256}</c>): where CI stores a
/// release's policy and rulebook snapshot, so the RISK_COMPLIANCE gate can check them and replay bundles can hold them.
/// </summary>
public sealed partial class ObjectApi(GovernanceHost governance) : IFunctionModule
{
    public const int MaxObjectBytes = 16 * 1024 * 1024;

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("objects-store", "objects", ["PUT"], FunctionAccess.Requires(GovernanceAction.StoreObject), StoreAsync))
        .Add(FunctionDefinition.Http("objects-get", "objects/{sha256}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadBundles), GetAsync));

    private async Task<IResult> StoreAsync(HttpContext http)
    {
        var body = await RequestBody.ReadBytesAsync(http.Request, MaxObjectBytes, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;
        if (body.Bytes.IsEmpty) return ApiErrors.Result(Governance.GovernanceReasons.InvalidRequest, "An object has at least one byte.");
        var hash = await governance.Content.StoreAsync(body.Bytes, http.RequestAborted);
        return GovernanceJson.Created(new { Sha256 = hash, Digest = "sha256:" + hash, Size = body.Bytes.Length });
    }

    private async Task<IResult> GetAsync(HttpContext http)
    {
        var hash = GovernanceJson.Route(http, "sha256");
        if (!Sha256Hex().IsMatch(hash)) return ApiErrors.Result(Governance.GovernanceReasons.InvalidRequest, "An object is named by its SHA-256: 64 lowercase hex digits.");
        return await governance.Content.ReadAsync(hash, http.RequestAborted) is { } bytes
            ? Results.Bytes(bytes, "application/octet-stream")
            : ApiErrors.Result(Ledger.LedgerReason.NotFound, $"No object {hash}.");
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
