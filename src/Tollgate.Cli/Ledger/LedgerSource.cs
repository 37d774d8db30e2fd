using System.CommandLine;
using System.Text;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.AzureStorage;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Storage;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Ledger;

/// <summary>
/// Where a ledger command reads: an exported folder (<c>--dir</c>, offline) or the storage account itself
/// (<c>--storage</c>, else <c>TOLLGATE_STORAGE</c> or <c>AzureWebJobsStorage</c>), never through a host,
/// so an auditor depends on nothing Tollgate runs.
/// </summary>
internal sealed record LedgerSource(LedgerStore Store, LedgerIndexStore? Index, string Description)
{
    public const string StorageVariable = "TOLLGATE_STORAGE";

    public static Option<string?> DirOption() => new("--dir") { Description = "An exported ledger folder (offline)." };
    public static Option<string?> StorageOption() => new("--storage") { Description = $"A storage connection string (else {StorageVariable} or AzureWebJobsStorage)." };
    public static Option<string> HubOption() => new("--hub") { Description = "The task hub whose ledger to read (default tollgate).", DefaultValueFactory = _ => "tollgate" };

    /// <summary>The key to verify with: the pinned one, else the one the ledger records (said on <paramref name="note"/>).</summary>
    public async Task<EcdsaNoteVerifier> VerifierAsync(string? pinned, TextWriter? note, CancellationToken cancellationToken)
    {
        try
        {
            if (pinned is not null) return EcdsaNoteVerifier.Parse(pinned);
            var recorded = await Store.ReadObjectAsync(LedgerLayout.VerifierKey, cancellationToken)
                ?? throw new RequestRefusedException("LEDGER_NO_VERIFIER_KEY", $"The ledger records no {LedgerLayout.VerifierKey}; pass the key with --key.");
            note?.WriteLine("note: trusting the verifier key the ledger records; pin it with --key to check it too");
            return EcdsaNoteVerifier.Parse(Encoding.UTF8.GetString(recorded).Trim());
        }
        catch (NoteFormatException e)
        {
            throw new RequestRefusedException(e.Reason, $"The verifier key is not usable: {e.Message}");
        }
    }

    public static async Task<LedgerSource> OpenAsync(string? dir, string? storage, string hub, bool requireExisting, CancellationToken cancellationToken)
    {
        if (dir is not null && storage is not null)
            throw new RequestRefusedException(Commands.ApiCommand.InvalidArguments, "Give --dir or --storage, not both.");
        if (dir is not null)
        {
            if (requireExisting && !Directory.Exists(dir)) throw new RequestRefusedException("LEDGER_NOT_FOUND", $"No ledger folder '{dir}'.");
            return new LedgerSource(new DirectoryLedgerStore(dir), new DirectoryLedgerIndex(dir), $"folder {Path.GetFullPath(dir)}");
        }
        var connection = storage ?? Environment.GetEnvironmentVariable(StorageVariable) ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        if (string.IsNullOrWhiteSpace(connection))
            throw new RequestRefusedException(Commands.ApiCommand.InvalidArguments, $"Say where the ledger is: --dir <exported folder>, or --storage <connection string> (or {StorageVariable}).");
        try
        {
            var azure = await AzureLedger.OpenAsync(connection, hub.ToLowerInvariant(), cancellationToken);
            return new LedgerSource(azure.Store, azure.Index, $"storage ledger of task hub '{hub}'");
        }
        catch (Exception e) when (e is not RequestRefusedException and not Tollgate.Ledger.LedgerException and not OperationCanceledException)
        {
            throw new StorageUnreachableException($"the storage account could not be read ({e.GetType().Name}: {e.Message.Split('\n', 2)[0]})");
        }
    }
}

/// <summary>The ledger's storage did not answer; exit code 3, like an unreachable host.</summary>
internal sealed class StorageUnreachableException(string message) : Exception(message);
