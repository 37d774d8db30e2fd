using System.CommandLine;
using System.Text;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;

namespace Tollgate.Cli.Ledger;

/// <summary>
/// <c>tollgate bundle create|verify|export</c>. Create goes through the host (which holds the signing key and
/// records the bundle in the ledger); verify and export read storage or a folder directly, like the ledger
/// commands. Exit codes: 0 ok, 1 not verified, 2 refused, 3 unreachable.
/// </summary>
internal static class BundleCommands
{
    public static Command Create(CliContext context, Option<string> endpoint) => new("bundle", "Seal, verify and export replay bundles.")
    {
        CreateCommand(context, endpoint), Verify(context), Export(context),
    };

    private static Command CreateCommand(CliContext context, Option<string> endpoint)
    {
        var eventRef = new Option<string>("--event-ref") { Description = "The event the bundle replays (e.g. a deploy event id).", Required = true };
        var environment = new Option<string?>("--environment") { Description = "Research, Backtest, Simulation, Paper or Live." };
        var members = new Option<string[]>("--member") { Description = $"role=path: a file to include ({string.Join(", ", BundleRoles.All.Select(r => r.Name).Except(BundleRoles.BuiltFromLedger))}); repeat.", AllowMultipleArgumentsPerToken = false };
        var indexes = new Option<long[]>("--ledger-index") { Description = "A ledger entry to include with its inclusion proof; repeat." };
        var correlation = new Option<string?>("--correlation") { Description = "Correlation id of the bundle's ledger entry (default: the event ref)." };
        var actor = new Option<string?>("--actor") { Description = "Who seals it (default: the token's subject; the host refuses any other)." };
        var command = new Command("create", "Seal a replay bundle through the host and record its manifest hash in the ledger.") { eventRef, environment, members, indexes, correlation, actor };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var memberList = new List<object>();
            foreach (var spec in parse.GetValue(members) ?? [])
            {
                var split = spec.IndexOf('=');
                if (split <= 0) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--member '{spec}' is not role=path.");
                var (role, path) = (spec[..split], spec[(split + 1)..]);
                if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--member {role}: no file '{path}'.");
                memberList.Add(new { role, name = Path.GetFileName(path), mediaType = MediaType(path), contentBase64 = Convert.ToBase64String(await File.ReadAllBytesAsync(path, cancellationToken)) });
            }
            var request = JsonSerializer.Serialize(new
            {
                eventRef = parse.GetValue(eventRef),
                environment = parse.GetValue(environment),
                createdBy = parse.GetValue(actor) ?? CliToken.Subject(CliToken.Of(parse, context)),
                correlationId = parse.GetValue(correlation),
                members = memberList,
                ledgerIndexes = parse.GetValue(indexes) ?? [],
            });
            var sealedBundle = await api.CreateBundleAsync(request, cancellationToken);
            var hash = sealedBundle.GetProperty("manifestSha256").GetString();
            context.Out.WriteLine($"sealed bundle {hash}: {sealedBundle.GetProperty("members").GetInt32()} members; recorded at ledger index {sealedBundle.GetProperty("ledgerIndex").GetInt64()}");
            var missing = sealedBundle.GetProperty("missingRoles").EnumerateArray().Select(r => r.GetString()).ToList();
            if (missing.Count > 0) context.Out.WriteLine($"not yet replayable: missing {string.Join(", ", missing)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var (dir, storage, hub) = (LedgerSource.DirOption(), LedgerSource.StorageOption(), LedgerSource.HubOption());
        var hash = new Argument<string>("manifest-sha256") { Description = "The bundle (its manifest's SHA-256)." };
        var key = new Option<string?>("--key") { Description = "The verifier key to trust (text, or @file); default: the one the ledger records." };
        var complete = new Option<bool>("--require-complete") { Description = "Also fail when a role needed for replay is missing." };
        var command = new Command("verify", "Check a bundle's manifest hash and signature, every member's hash and size, and its ledger proofs.") { hash, dir, storage, hub, key, complete };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var source = await LedgerSource.OpenAsync(parse.GetValue(dir), parse.GetValue(storage), parse.GetValue(hub)!, requireExisting: true, cancellationToken);
            var verifier = await source.VerifierAsync(LedgerCommandRunner.ReadKeyArgument(parse.GetValue(key)), null, cancellationToken);
            var result = await new BundleVerifier(source.Store, verifier).VerifyAsync(parse.GetValue(hash)!, parse.GetValue(complete), cancellationToken);
            if (!result.Ok)
            {
                foreach (var problem in result.Problems) context.Error.WriteLine($"NOT VERIFIED: {problem}");
                return ExitCodes.NotVerified;
            }
            var manifest = result.Manifest!;
            context.Out.WriteLine($"verified bundle {manifest.Sha256}: event {manifest.EventRef}, {manifest.Members.Count} members, signed by {verifier.KeyName}");
            if (manifest.MissingRoles.Count > 0) context.Out.WriteLine($"not yet replayable: missing {string.Join(", ", manifest.MissingRoles)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var (storage, hub) = (LedgerSource.StorageOption(), LedgerSource.HubOption());
        var hash = new Argument<string>("manifest-sha256") { Description = "The bundle (its manifest's SHA-256)." };
        var target = new Argument<string>("dir") { Description = "A new (or empty) folder." };
        var command = new Command("export", "Write a bundle's manifest, signature and members into a folder.") { hash, target, storage, hub };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var source = await LedgerSource.OpenAsync(null, parse.GetValue(storage), parse.GetValue(hub)!, requireExisting: true, cancellationToken);
            try
            {
                var summary = await BundleExporter.ExportAsync(source.Store, parse.GetValue(hash)!, parse.GetValue(target)!, cancellationToken);
                context.Out.WriteLine($"exported bundle {summary.ManifestSha256}: {summary.MembersWritten} members to {Path.GetFullPath(parse.GetValue(target)!)}");
                return summary.MissingMembers.Count == 0 ? ExitCodes.Success : ExitCodes.NotVerified;
            }
            catch (BundleException refused)
            {
                throw new RequestRefusedException(refused.Reason, refused.Message);
            }
        });
        return command;
    }


    private static string MediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".jsonl" => "application/jsonl",
        ".gz" => "application/gzip",
        ".csv" => "text/csv",
        ".txt" or ".md" or ".env" => "text/plain",
        _ => "application/octet-stream",
    };
}
