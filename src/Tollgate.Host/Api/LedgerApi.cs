using Tollgate.Governance.Identity;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;
using Tollgate.Governance;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Host.Api;

/// <summary>
/// The audit ledger over HTTP: append (capabilities and CI record facts), and read-only entries, proofs,
/// checkpoints and the verifier key for auditors. Hashes are lowercase hex, except inside the signed
/// checkpoint note, whose format (c2sp.org/tlog-checkpoint) says base64.
/// </summary>
public sealed class LedgerApi(LedgerHost ledger) : IFunctionModule
{
    private const string Route = "ledger";
    private const int MaxListed = 1000;

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("ledger-append", $"{Route}/entries", ["POST"], FunctionAccess.Requires(GovernanceAction.AppendLedger), AppendAsync))
        .Add(FunctionDefinition.Http("ledger-entry", $"{Route}/entries/{{index}}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), GetEntryAsync))
        .Add(FunctionDefinition.Http("ledger-entries", $"{Route}/entries", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), FindEntriesAsync))
        .Add(FunctionDefinition.Http("ledger-checkpoint", $"{Route}/checkpoint", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), http => Guard(() => Task.FromResult(Note(ledger.Require().Latest.Note)))))
        .Add(FunctionDefinition.Http("ledger-checkpoint-at", $"{Route}/checkpoints/{{size}}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), GetCheckpointAsync))
        .Add(FunctionDefinition.Http("ledger-inclusion-proof", $"{Route}/proofs/inclusion", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), InclusionAsync))
        .Add(FunctionDefinition.Http("ledger-consistency-proof", $"{Route}/proofs/consistency", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), ConsistencyAsync))
        .Add(FunctionDefinition.Http("ledger-verifier-key", $"{Route}/verifier-key", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadLedger), http => Guard(() => Task.FromResult(Note(ledger.Require().VerifierKey + "\n")))));

    private Task<IResult> AppendAsync(HttpContext http) => Guard(async () =>
    {
        var writer = ledger.Require();
        // Twice the entry limit, so an entry a little too large gets the ledger's own reason, not a generic one.
        var body = await RequestBody.ReadBytesAsync(http.Request, LedgerEntry.MaxBytes * 2, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;
        var entry = LedgerEntry.Parse(body.Bytes.Span);
        var caller = CallerIdentity.Of(http);
        if (entry.Fields.Actor != caller.Subject)
            throw new GovernanceException(GovernanceReasons.ActorMismatch, $"The entry names '{entry.Fields.Actor}' as its actor, but the token is {caller.Subject}'s; nothing was written.");
        var receipt = await writer.AppendAsync(entry, http.RequestAborted);
        var view = new { receipt.Index, receipt.Key, receipt.LeafHash, receipt.Existing, receipt.TreeSize };
        return receipt.Existing
            ? Results.Json(view, ApiJson.Options)
            : Results.Json(view, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    });

    private Task<IResult> GetEntryAsync(HttpContext http) => Guard(async () =>
    {
        var writer = ledger.Require();
        if (!long.TryParse(http.Request.RouteValues["index"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return ApiErrors.Result(LedgerReason.BadRange, "The entry index is a whole number from 0.");
        return await EntryViewAsync(writer, index, http.RequestAborted);
    });

    private Task<IResult> FindEntriesAsync(HttpContext http) => Guard(async () =>
    {
        var writer = ledger.Require();
        var query = http.Request.Query;
        if (query.TryGetValue("key", out var key))
        {
            return writer.Find(key.ToString()) is { } index
                ? await EntryViewAsync(writer, index, http.RequestAborted)
                : ApiErrors.Result(LedgerReason.NotFound, $"No entry has key '{key}'.");
        }
        var lookup = ledger.Index ?? throw new LedgerException(LedgerReason.Unavailable, "The ledger has no lookup index.");
        IReadOnlyList<IndexedEntry> found;
        if (query.TryGetValue("correlation", out var correlation))
            found = await lookup.FindByCorrelationAsync(correlation.ToString(), MaxListed, http.RequestAborted);
        else if (query.TryGetValue("from", out var fromText) && query.TryGetValue("to", out var toText))
        {
            if (!QueryValues.TryParseInstant(fromText, out var from) || !QueryValues.TryParseInstant(toText, out var to) || to <= from)
                return ApiErrors.Result(ApiReasons.InvalidTimeRange, "from and to are ISO 8601 times with from < to.");
            found = await lookup.FindByTimeAsync(from, to, MaxListed, http.RequestAborted);
        }
        else return ApiErrors.Result(ApiReasons.InvalidQueryParameter, "Look entries up by ?key=, ?correlation= or ?from=&to=.");
        return Results.Json(new { Entries = found, writer.IndexLag, Limit = MaxListed }, ApiJson.Options);
    });

    private Task<IResult> GetCheckpointAsync(HttpContext http) => Guard(async () =>
    {
        ledger.Require();
        if (!long.TryParse(http.Request.RouteValues["size"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            return ApiErrors.Result(LedgerReason.BadRange, "The checkpoint size is a whole number from 0.");
        var note = await ledger.Store!.ReadObjectAsync(LedgerLayout.Checkpoint(size), http.RequestAborted);
        return note is null ? ApiErrors.Result(LedgerReason.NotFound, $"No checkpoint was published at size {size}.") : Note(System.Text.Encoding.UTF8.GetString(note));
    });

    private Task<IResult> InclusionAsync(HttpContext http) => Guard(() =>
    {
        var writer = ledger.Require();
        var query = http.Request.Query;
        var latest = writer.Latest;
        var size = latest.Size;
        if (query.TryGetValue("size", out var sizeText) && !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size))
            return Task.FromResult(ApiErrors.Result(LedgerReason.BadRange, "size is a whole number."));
        long index;
        if (query.TryGetValue("key", out var key))
            index = writer.Find(key.ToString()) ?? throw new LedgerException(LedgerReason.NotFound, $"No entry has key '{key}'.");
        else if (!query.TryGetValue("index", out var indexText) || !long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out index))
            return Task.FromResult(ApiErrors.Result(LedgerReason.BadRange, "Name the entry by ?index= or ?key=."));
        var proof = writer.InclusionProof(index, size);
        return Task.FromResult(Results.Json(new
        {
            Index = index,
            TreeSize = size,
            LeafHash = Convert.ToHexStringLower(writer.LeafHash(index)),
            Hashes = proof.Select(Convert.ToHexStringLower),
            RootHash = Convert.ToHexStringLower(writer.RootHash(size)),
            Checkpoint = size == latest.Size ? latest.Note : null,
        }, ApiJson.Options));
    });

    private Task<IResult> ConsistencyAsync(HttpContext http) => Guard(() =>
    {
        var writer = ledger.Require();
        var query = http.Request.Query;
        if (!long.TryParse(query["first"], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            return Task.FromResult(ApiErrors.Result(LedgerReason.BadRange, "first (the older tree size) is a whole number."));
        var second = writer.Latest.Size;
        if (query.TryGetValue("second", out var secondText) && !long.TryParse(secondText, NumberStyles.None, CultureInfo.InvariantCulture, out second))
            return Task.FromResult(ApiErrors.Result(LedgerReason.BadRange, "second (the newer tree size) is a whole number."));
        var proof = writer.ConsistencyProof(first, second);
        return Task.FromResult(Results.Json(new
        {
            First = first,
            Second = second,
            Hashes = proof.Select(Convert.ToHexStringLower),
            FirstRoot = Convert.ToHexStringLower(writer.RootHash(first)),
            SecondRoot = Convert.ToHexStringLower(writer.RootHash(second)),
        }, ApiJson.Options));
    });

    private static async Task<IResult> EntryViewAsync(LedgerWriter writer, long index, CancellationToken cancellationToken)
    {
        var bytes = await writer.ReadEntryAsync(index, cancellationToken);
        using var document = JsonDocument.Parse(bytes);
        return Results.Json(new { Index = index, LeafHash = Convert.ToHexStringLower(writer.LeafHash(index)), Entry = document.RootElement.Clone() }, ApiJson.Options);
    }

    private static IResult Note(string text) => Results.Text(text, "text/plain; charset=utf-8");

    private static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try { return await handler(); }
        catch (LedgerException refused) { return ApiErrors.Result(refused); }
    }
}
