using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Cli.Output;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Reading;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Verification;

namespace Tollgate.Cli.Ledger;

/// <summary>
/// <c>tollgate ledger verify|prove|consistency|export</c>: what an auditor runs, against the storage account or
/// an exported folder. Exit codes: 0 verified, 1 not verified (the first bad index and why on stderr),
/// 2 refused (bad arguments), 3 storage unreachable.
/// </summary>
internal static class LedgerCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context) => new("ledger", "Verify, prove and export the audit ledger (offline-capable).")
    {
        Verify(context), Prove(context), Consistency(context), Export(context),
    };

    private static Command Verify(CliContext context)
    {
        var (dir, storage, hub) = (LedgerSource.DirOption(), LedgerSource.StorageOption(), LedgerSource.HubOption());
        var key = new Option<string?>("--key") { Description = "The verifier key to trust (text, or @file); default: the one the ledger records." };
        var trusted = new Option<string?>("--trusted") { Description = "A checkpoint note file kept from earlier: the ledger must extend it." };
        var noIndex = new Option<bool>("--no-index") { Description = "Skip checking the lookup index rows." };
        var deep = new Option<bool>("--deep") { Description = "Also re-check every entry against every rule an append enforces (canonical form, kind payloads)." };
        var command = new Command("verify", "Recompute every leaf, the tree at every checkpoint, every signature and every index row.") { dir, storage, hub, key, trusted, noIndex, deep };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var source = await LedgerSource.OpenAsync(parse.GetValue(dir), parse.GetValue(storage), parse.GetValue(hub)!, requireExisting: true, cancellationToken);
            var verifier = await source.VerifierAsync(LedgerCommandRunner.ReadKeyArgument(parse.GetValue(key)), context.Out, cancellationToken);
            var trustedNote = parse.GetValue(trusted) is { } path
                ? File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No checkpoint file '{path}'.")
                : null;
            context.Out.WriteLine($"verifying the {source.Description}");
            var report = await StageProgress.RunAsync(context, report => new LedgerVerifier(source.Store, verifier, parse.GetValue(noIndex) ? null : source.Index)
            {
                TrustedCheckpoint = trustedNote,
                Deep = parse.GetValue(deep),
                Progress = new SyncProgress<VerificationProgress>(p => report(p.Stage, p.Done, p.Total)),
            }.VerifyAsync(cancellationToken));
            foreach (var note in report.Notes) context.Out.WriteLine($"note: {note}");
            if (!report.Ok)
            {
                var first = report.First!;
                context.Error.WriteLine($"NOT VERIFIED: {first}");
                if (report.Problems.Count > 1) context.Error.WriteLine($"({report.Problems.Count - 1} more problem(s); the first by index is shown)");
                return ExitCodes.NotVerified;
            }
            context.Out.WriteLine($"verified: {report.VerifiedSize} entries, {report.CheckpointsVerified} signed checkpoints, {report.IndexRowsChecked} index rows; root {report.LatestRootHex ?? "(empty)"}");
            if (report.UncheckpointedEntries > 0)
                context.Out.WriteLine($"note: {report.UncheckpointedEntries} entries after the latest checkpoint are not covered by a signature yet");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Prove(CliContext context)
    {
        var (dir, storage, hub) = (LedgerSource.DirOption(), LedgerSource.StorageOption(), LedgerSource.HubOption());
        var entry = new Argument<string>("key-or-index") { Description = "The entry: its key, or its index (a number)." };
        var size = new Option<long?>("--size") { Description = "The tree size to prove against (default: the latest checkpoint)." };
        var command = new Command("prove", "Print an RFC 9162 inclusion proof of one entry as JSON (and check it before printing).") { entry, dir, storage, hub, size };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var source = await LedgerSource.OpenAsync(parse.GetValue(dir), parse.GetValue(storage), parse.GetValue(hub)!, requireExisting: true, cancellationToken);
            var snapshot = await LedgerSnapshot.LoadAsync(source.Store, cancellationToken);
            var name = parse.GetValue(entry)!;
            var index = long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
                : snapshot.Find(name) ?? throw new RequestRefusedException("LEDGER_NOT_FOUND", $"No entry has key '{name}'.");
            var treeSize = parse.GetValue(size) ?? snapshot.CheckpointSize;
            var proof = snapshot.InclusionProof(index, treeSize);
            var leaf = snapshot.LeafHash(index);
            var root = snapshot.RootHash(treeSize);
            MerkleProofs.VerifyInclusion(index, treeSize, leaf, proof, root);
            var bytes = await snapshot.ReadEntryAsync(index, cancellationToken);
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                index,
                tree_size = treeSize,
                leaf_hash = Convert.ToHexStringLower(leaf),
                hashes = proof.Select(Convert.ToHexStringLower),
                root_hash = Convert.ToHexStringLower(root),
                entry = Encoding.UTF8.GetString(bytes),
                checkpoint = treeSize == snapshot.CheckpointSize ? snapshot.CheckpointNote : null,
            }, Json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Consistency(CliContext context)
    {
        var (dir, storage, hub) = (LedgerSource.DirOption(), LedgerSource.StorageOption(), LedgerSource.HubOption());
        var first = new Argument<long>("size1") { Description = "The older tree size." };
        var second = new Argument<long>("size2") { Description = "The newer tree size." };
        var command = new Command("consistency", "Print an RFC 9162 consistency proof between two tree sizes as JSON (checked before printing).") { first, second, dir, storage, hub };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var source = await LedgerSource.OpenAsync(parse.GetValue(dir), parse.GetValue(storage), parse.GetValue(hub)!, requireExisting: true, cancellationToken);
            var snapshot = await LedgerSnapshot.LoadAsync(source.Store, cancellationToken);
            var (size1, size2) = (parse.GetValue(first), parse.GetValue(second));
            var proof = snapshot.ConsistencyProof(size1, size2);
            var (root1, root2) = (snapshot.RootHash(size1), snapshot.RootHash(size2));
            MerkleProofs.VerifyConsistency(size1, size2, proof, root1, root2);
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                size1, size2,
                hashes = proof.Select(Convert.ToHexStringLower),
                root1 = Convert.ToHexStringLower(root1),
                root2 = Convert.ToHexStringLower(root2),
            }, Json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var (storage, hub) = (LedgerSource.StorageOption(), LedgerSource.HubOption());
        var target = new Argument<string>("dir") { Description = "A new (or empty) folder to write the copy into." };
        var command = new Command("export", "Copy the whole ledger (segments, checkpoints, key, bundles, index rows) into a folder for offline audit.") { target, storage, hub };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var source = await LedgerSource.OpenAsync(null, parse.GetValue(storage), parse.GetValue(hub)!, requireExisting: true, cancellationToken);
            var folder = parse.GetValue(target)!;
            var summary = await StageProgress.RunAsync(context, report =>
                LedgerExporter.ExportAsync(source.Store, source.Index, folder, new SyncProgress<(string Stage, long Done, long Total)>(p => report(p.Stage, p.Done, p.Total)), cancellationToken));
            context.Out.WriteLine($"exported {summary.Segments} segments ({summary.SegmentBytes} bytes), {summary.Objects} objects, {summary.IndexRows} index rows to {Path.GetFullPath(folder)}");
            context.Out.WriteLine($"verify it offline: tollgate ledger verify --dir {folder}");
            return ExitCodes.Success;
        });
        return command;
    }
}
