using System.Security.Cryptography;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Verification;
using Tollgate.Ledger.Writing;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>Signers, writers, verification and waiting, as the ledger tests use them.</summary>
internal static class TestLedgers
{
    public const string Origin = "tollgate.test/ledger";

    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A second handle on the same key: a signer owns (and disposes) its key, and two writers sign as one ledger.</summary>
    public static ECDsa SameKey(ECDsa key)
    {
        var copy = ECDsa.Create();
        copy.ImportParameters(key.ExportParameters(includePrivateParameters: true));
        return copy;
    }

    public static EcdsaNoteSigner Signer(ECDsa? key = null) => new(Origin, key ?? NewKey());

    public static Task<LedgerWriter> OpenWriterAsync(LedgerStore store, LedgerIndexStore? index, EcdsaNoteSigner signer) =>
        LedgerWriter.OpenAsync(store, index, signer, new LedgerOptions(Origin) { RetryDelay = TimeSpan.FromMilliseconds(5) });

    public static Task<VerificationReport> VerifyAsync(LedgerStore store, string verifierKey, LedgerIndexStore? index) =>
        new LedgerVerifier(store, EcdsaNoteVerifier.Parse(verifierKey), index).VerifyAsync();

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 60_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    public static Task WaitForIndexAsync(LedgerWriter writer) => WaitUntilAsync(() => writer.IndexLag == 0, "the index has caught up");

    /// <summary>Every stored entry's key, in ledger order, read straight from the segments.</summary>
    public static async Task<List<string>> StoredKeysAsync(LedgerStore store)
    {
        var keys = new List<string>();
        foreach (var segment in await store.ListSegmentsAsync(CancellationToken.None))
        {
            var bytes = await store.ReadSegmentAsync(segment.FirstIndex, 0, null, CancellationToken.None);
            for (var start = 0; start < bytes.Length;)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start);
                keys.Add(Entries.LedgerEntry.Parse(bytes.AsSpan(start, end - start)).Key);
                start = end + 1;
            }
        }
        return keys;
    }

    public static string Describe(VerificationReport report) =>
        report.Ok ? "ok" : string.Join("\n", report.Problems.Select(problem => problem.ToString()));
}
