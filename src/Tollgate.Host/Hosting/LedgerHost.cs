using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Ledger;
using Tollgate.Ledger.AzureStorage;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;
using Tollgate.Host.Settings;
using Tollgate.Governance.Secrets;

namespace Tollgate.Host.Hosting;

/// <summary>
/// Opens this host's ledger writer in the background (retrying while storage or Key Vault is unreachable,
/// as the engine worker does) and closes it on stop. Until it is open, ledger calls answer
/// LEDGER_UNAVAILABLE and health says so.
/// </summary>
public sealed class LedgerHost(HostSettings settings, SecretRedactor redactor, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger logger = loggers.CreateLogger<LedgerHost>();
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource<LedgerWriter> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task opening = Task.CompletedTask;

    /// <summary>The writer, or null while the ledger is not open yet.</summary>
    public LedgerWriter? Writer => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : null;

    public LedgerStore? Store { get; private set; }

    /// <summary>The ledger's signing key, for what else the ledger key vouches for (replay bundle manifests).</summary>
    public EcdsaNoteSigner? Signer { get; private set; }
    public LedgerIndexStore? Index { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>The writer; LEDGER_UNAVAILABLE when it is not open.</summary>
    public LedgerWriter Require() => Writer ?? throw new LedgerException(LedgerReason.Unavailable,
        $"The audit ledger is not open yet{(LastError is { } error ? $" ({error})" : "")}; nothing was written.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        opening = Task.Run(OpenAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OpenAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var signer = Signer = await LoadSignerAsync(stopping.Token);
                redactor.Register(signer.ExportPkcs8Pem());
                (Store, Index) = await OpenStorageAsync(stopping.Token);
                var writer = await LedgerWriter.OpenAsync(Store, Index, signer, new LedgerOptions(settings.Ledger.Origin)
                    {
                        FaultInjection = CrashInjection.For(settings.CrashAt),
                        Screen = entry => redactor.Finds(entry.Bytes) ? "it carries a secret value, which must never reach the ledger" : null,
                    },
                    loggers.CreateLogger<LedgerWriter>(), stopping.Token);
                LastError = null;
                ready.TrySetResult(writer);
                logger.LogInformation("Audit ledger {Origin} open: {Size} entries; verifier key {VerifierKey}",
                    settings.Ledger.Origin, writer.Latest.Size, writer.VerifierKey);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LastError = settings.Storage.Redact(e.Message.Split('\n', 2)[0]);
                logger.LogWarning("Audit ledger could not open ({Error}: {Message}); retrying in {Delay}", e.GetType().Name, LastError, delay);
            }
            try { await Task.Delay(delay, stopping.Token); }
            catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
        }
    }

    private async Task<EcdsaNoteSigner> LoadSignerAsync(CancellationToken cancellationToken)
    {
        var ledger = settings.Ledger;
        if (ledger.KeyVaultUri is { } vault)
            return await KeyVaultSigningKey.LoadAsync(new SecretClient(vault, new DefaultAzureCredential()), ledger.SigningKeySecret, ledger.Origin, cancellationToken);
        return DevSigningKey.LoadOrCreate(ledger.DevKeyPath, ledger.Origin);
    }

    private async Task<(LedgerStore, LedgerIndexStore)> OpenStorageAsync(CancellationToken cancellationToken)
    {
        if (settings.Storage.IsInMemory) return (new InMemoryLedgerStore(), new InMemoryLedgerIndex());
        var azure = await AzureLedger.CreateAsync(settings.Storage.ConnectionString, settings.TaskHub.ToLowerInvariant(), cancellationToken);
        return (azure.Store, azure.Index);
    }

    /// <summary>Closes the writer; safe to call more than once (the host stops it, and disposing the container stops it again).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await opening;
        if (Writer is { } writer) await writer.DisposeAsync();
    }

    // The token source is not disposed: StopAsync may still run after the container is disposed.
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
