using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Verification;
using Tollgate.Ledger.Writing;

namespace Tollgate.Ledger.Tests.Storage;

/// <summary>Shared builders of the ledger tests: entries, keys, writers, stores, folders and what they hold.</summary>
internal static class LedgerTestKit
{
    public const string Origin = "tollgate.test/ledger";
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);

    // ---------------------------------------------------------------- entries

    /// <summary>A valid payload for every kind; <see cref="LedgerKinds.All"/> must be covered (a test checks).</summary>
    public static JsonObject Payload(string kind) => kind switch
    {
        "deploy_event" => new JsonObject
        {
            ["deploy_event_id"] = "dep-1", ["environment"] = "Paper", ["artifact_ref"] = "art-1", ["code_commit_ref"] = "c0ffee",
            ["active_version_map_ref"] = new JsonObject { ["before"] = null, ["after"] = "avm-2" }, ["operator_id"] = "op-1",
            ["timestamp"] = "2025-03-14T09:30:00.000Z", ["result"] = "SUCCESS", ["reason_codes"] = new JsonArray(),
            ["hash_manifest_ref"] = "hm-1", ["runbook_ref"] = "rb-1",
        },
        "gate_result" => new JsonObject { ["gate"] = "VERSION_AUDIT", ["verdict"] = "PASS", ["evaluation_id"] = "ev-1", ["checks"] = new JsonArray("c1", "c2") },
        "approval" => new JsonObject { ["approval_id"] = "ap-1", ["step"] = "REQUEST", ["subject_ref"] = "avm-2" },
        "version_map_switch" => new JsonObject
        {
            ["action"] = "ACTIVATE", ["from_map"] = null, ["to_map"] = "avm-2", ["config_version"] = "cfg-7", ["reason"] = "release",
            ["operator"] = "operator-7", ["approver"] = "trader-2",
        },
        "version_map" => new JsonObject { ["map_id"] = "vm-1", ["map"] = new JsonObject { ["code"] = "c0ffee" } },
        "kill_switch" => new JsonObject { ["state"] = "ENGAGED", ["scope"] = "ALL", ["reason"] = "drill", ["reason_codes"] = new JsonArray("RISK_LIMIT") },
        "access_denied" => new JsonObject { ["action"] = "SwitchVersionMap", ["route"] = "POST /api/x", ["reason_code"] = "AUTH_ROLE_DENIED", ["status"] = "403" },
        "order_path" => new JsonObject { ["phase"] = "PRE", ["intent_id"] = "oi-1", ["step"] = "risk-check" },
        "reconciliation" => new JsonObject
        {
            ["reconciliation_id"] = "recon-1", ["result"] = "FAIL", ["reason_codes"] = new JsonArray("EXE-RECON-FAIL"),
            ["agreement"] = new JsonObject { ["orders"] = "0.9", ["fills"] = "1" }, ["differences"] = new JsonArray("ORPHAN_EXCHANGE SPOT:BTCUSDT tg-1: not placed by Tollgate's router"),
        },
        "incident" => new JsonObject { ["incident_id"] = "inc-1", ["class"] = "INC-EXE", ["severity"] = "P1", ["summary"] = "fill mismatch" },
        "checklist_result" => new JsonObject { ["checklist"] = "PRE_SESSION", ["item_id"] = "pre-3", ["result"] = "PASS", ["reason_codes"] = new JsonArray() },
        "evidence" => new JsonObject { ["check"] = "latency", ["passed"] = true, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject { ["p99_ms"] = 4.5 } },
        "bundle" => new JsonObject { ["manifest_sha256"] = new string('a', 64), ["event_ref"] = "dep-1" },
        "traffic_split" => new JsonObject
        {
            ["action"] = "WEIGHT", ["release_id"] = "rel-1", ["stable_map"] = "vm-1", ["canary_map"] = "vm-2", ["weight_bp"] = 1000, ["split_by"] = "SYMBOL", ["reason"] = "step 1",
        },
        "release_stage" => new JsonObject { ["release_id"] = "rel-1", ["stage"] = "BUILD", ["result"] = "PASS", ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject() },
        "canary_analysis" => new JsonObject { ["release_id"] = "rel-1", ["analysis_id"] = "rel-1:1:1", ["decision"] = "CONTINUE", ["metrics"] = new JsonArray() },
        _ => throw new ArgumentException($"No sample payload for kind '{kind}'; add one to {nameof(LedgerTestKit)}.", nameof(kind)),
    };

    public static LedgerEntryFields Fields(
        string kind = "approval", string key = "k-1", DateTimeOffset? time = null, string actor = "operator-7",
        string correlation = "corr-1", string? environment = "Paper", IReadOnlyList<string>? refs = null) =>
        new(kind, key, time ?? T0, actor, correlation, environment, refs ?? []);

    public static LedgerEntry Entry(string kind = "approval", string key = "k-1", JsonObject? payload = null, string correlation = "corr-1") =>
        LedgerEntry.Create(Fields(kind, key, correlation: correlation), payload ?? Payload(kind));

    /// <summary>Entry number <paramref name="i"/> of a test ledger: kinds in turn, 7 correlation ids, one second apart.</summary>
    public static LedgerEntry Numbered(int i, string keyPrefix = "k-") =>
        LedgerEntry.Create(
            Fields(LedgerKinds.All[i % LedgerKinds.All.Count].Name, $"{keyPrefix}{i:D6}", T0.AddSeconds(i), correlation: $"corr-{i % 7}"),
            Payload(LedgerKinds.All[i % LedgerKinds.All.Count].Name));

    public static LedgerEntry[] NumberedEntries(int count, string keyPrefix = "k-") => [.. Enumerable.Range(0, count).Select(i => Numbered(i, keyPrefix))];

    /// <summary>The entry's JSON as a mutable tree, to build invalid variants from a valid one.</summary>
    public static JsonObject Tree(LedgerEntry entry) => JsonNode.Parse(entry.Bytes)!.AsObject();

    public static byte[] Canonical(JsonNode node) => JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(node.ToJsonString()));

    /// <summary>The canonical bytes of <paramref name="entry"/> after <paramref name="change"/>: a well-formed entry with one thing wrong.</summary>
    public static byte[] Variant(LedgerEntry entry, Action<JsonObject> change)
    {
        var tree = Tree(entry);
        change(tree);
        return Canonical(tree);
    }

    /// <summary>Asserts <paramref name="action"/> is refused with <paramref name="reason"/>; returns the exception for its message.</summary>
    public static LedgerException Refused(string reason, Action action)
    {
        var e = Assert.Throws<LedgerException>(action);
        Assert.True(reason == e.Reason, $"Expected {reason}, got {e.Reason}: {e.Message}");
        return e;
    }

    public static LedgerException RefusedParse(string reason, byte[] bytes) => Refused(reason, () => LedgerEntry.Parse(bytes));

    // ---------------------------------------------------------------- keys and writers

    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A second handle on the same key, so two writers can sign as one ledger.</summary>
    public static ECDsa SameKey(ECDsa key)
    {
        var copy = ECDsa.Create();
        copy.ImportParameters(key.ExportParameters(includePrivateParameters: true));
        return copy;
    }

    public static EcdsaNoteSigner Signer(ECDsa? key = null, string origin = Origin) => new(origin, key ?? NewKey());

    public static LedgerOptions Options(int maxBatchEntries = 16_384) =>
        new(Origin) { RetryDelay = TimeSpan.FromMilliseconds(1), MaxBatchEntries = maxBatchEntries };

    public static Task<LedgerWriter> OpenAsync(LedgerStore store, LedgerIndexStore? index, EcdsaNoteSigner signer, LedgerOptions? options = null) =>
        LedgerWriter.OpenAsync(store, index, signer, options ?? Options());

    public static LedgerVerifier Verifier(LedgerStore store, string verifierKey, LedgerIndexStore? index = null) =>
        new(store, EcdsaNoteVerifier.Parse(verifierKey), index);

    /// <summary>A deep verification (every rule an append enforces, duplicate keys): what a ledger written by a writer must pass.</summary>
    public static async Task<VerificationReport> VerifyAsync(LedgerStore store, string verifierKey, LedgerIndexStore? index = null) =>
        await new LedgerVerifier(store, EcdsaNoteVerifier.Parse(verifierKey), index) { Deep = true }.VerifyAsync();

    /// <summary>Polls until <paramref name="condition"/> holds: for work the writer does in the background (the index).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 20_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(2);
        }
    }

    public static Task WaitForIndexAsync(LedgerWriter writer) => WaitUntilAsync(() => writer.IndexLag == 0, "the index has caught up");

    // ---------------------------------------------------------------- reading back

    public static async Task<List<string>> CheckpointNamesAsync(LedgerStore store) =>
        [.. (await store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, CancellationToken.None)).Where(name => LedgerLayout.TryParseCheckpoint(name, out _))];

    public static async Task<List<long>> CheckpointSizesAsync(LedgerStore store) =>
        [.. (await CheckpointNamesAsync(store)).Select(name => LedgerLayout.TryParseCheckpoint(name, out var size) ? size : -1).Order()];

    public static async Task<Checkpoint> ReadCheckpointAsync(LedgerStore store, long size, string verifierKey)
    {
        var note = await store.ReadObjectAsync(LedgerLayout.Checkpoint(size), CancellationToken.None)
            ?? throw new InvalidOperationException($"No checkpoint {size}.");
        return Checkpoint.ParseNoteText(EcdsaNoteVerifier.Parse(verifierKey).Open(Encoding.UTF8.GetString(note)));
    }

    /// <summary>Every stored line, in ledger order.</summary>
    public static async Task<List<byte[]>> StoredLinesAsync(LedgerStore store)
    {
        var lines = new List<byte[]>();
        foreach (var segment in await store.ListSegmentsAsync(CancellationToken.None))
        {
            var bytes = await store.ReadSegmentAsync(segment.FirstIndex, 0, null, CancellationToken.None);
            for (var start = 0; start < bytes.Length;)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start);
                if (end < 0) end = bytes.Length;
                lines.Add(bytes[start..end]);
                start = end + 1;
            }
        }
        return lines;
    }

    public static async Task<List<string>> StoredKeysAsync(LedgerStore store) =>
        [.. (await StoredLinesAsync(store)).Select(line => LedgerEntry.Parse(line).Key)];

    /// <summary>Every segment and object, by name, as base64: equal snapshots mean storage did not change.</summary>
    public static async Task<SortedDictionary<string, string>> SnapshotAsync(LedgerStore store)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var segment in await store.ListSegmentsAsync(CancellationToken.None))
            all[LedgerLayout.Segment(segment.FirstIndex)] = Convert.ToBase64String(await store.ReadSegmentAsync(segment.FirstIndex, 0, null, CancellationToken.None));
        foreach (var name in await store.ListObjectsAsync("", CancellationToken.None))
            all[name] = Convert.ToBase64String(await store.ReadObjectAsync(name, CancellationToken.None) ?? []);
        return all;
    }

    public static async Task<List<IndexRecord>> RowsAsync(LedgerIndexStore index)
    {
        var rows = new List<IndexRecord>();
        await foreach (var row in index.ReadAllAsync(CancellationToken.None)) rows.Add(row);
        return rows;
    }

    public static byte[] Block(params LedgerEntry[] entries) => [.. entries.SelectMany(entry => entry.Bytes.Append((byte)'\n'))];
}

/// <summary>A scratch folder, in memory-backed /dev/shm when there is one (the folder store flushes to disk on every write).</summary>
internal sealed class TempFolder : IDisposable
{
    private static readonly string Base = ChooseBase();

    public TempFolder()
    {
        Path = System.IO.Path.Combine(Base, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string ChooseBase()
    {
        foreach (var root in new[] { "/dev/shm", System.IO.Path.GetTempPath() })
        {
            try
            {
                var candidate = System.IO.Path.Combine(root, "tollgate-ledger-tests");
                Directory.CreateDirectory(candidate);
                return candidate;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        throw new InvalidOperationException("No writable temporary folder.");
    }
}

/// <summary>
/// A store that starts a new segment every <paramref name="maxBlocksPerSegment"/> blocks, as Blob storage does,
/// so a folder ledger gets several segments; optionally fails a write before it reaches storage.
/// </summary>
internal sealed class TestStore(LedgerStore inner, int maxBlocksPerSegment = int.MaxValue) : LedgerStore
{
    public LedgerStore Inner { get; } = inner;

    /// <summary>Runs before a write reaches storage (name of what is written); throwing models a write that never landed.</summary>
    public Action<string>? BeforeWrite { get; set; }

    public override int MaxBlocksPerSegment => Math.Min(maxBlocksPerSegment, Inner.MaxBlocksPerSegment);
    public override int MaxBlockBytes => Inner.MaxBlockBytes;

    public override Task<IReadOnlyList<SegmentInfo>> ListSegmentsAsync(CancellationToken cancellationToken) => Inner.ListSegmentsAsync(cancellationToken);

    public override Task CreateSegmentAsync(long firstIndex, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(LedgerLayout.Segment(firstIndex));
        return Inner.CreateSegmentAsync(firstIndex, cancellationToken);
    }

    public override Task<SegmentInfo> AppendBlockAsync(long firstIndex, long expectedLength, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(LedgerLayout.Segment(firstIndex));
        return Inner.AppendBlockAsync(firstIndex, expectedLength, block, cancellationToken);
    }

    public override Task<byte[]> ReadSegmentAsync(long firstIndex, long offset, long? count, CancellationToken cancellationToken) =>
        Inner.ReadSegmentAsync(firstIndex, offset, count, cancellationToken);

    public override Task<bool> TryCreateObjectAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(name);
        return Inner.TryCreateObjectAsync(name, content, cancellationToken);
    }

    public override Task<byte[]?> ReadObjectAsync(string name, CancellationToken cancellationToken) => Inner.ReadObjectAsync(name, cancellationToken);

    public override Task<IReadOnlyList<string>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) => Inner.ListObjectsAsync(prefix, cancellationToken);
}

/// <summary>Records progress reports as they are made (Progress&lt;T&gt; would post them later).</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> reports = [];

    public IReadOnlyList<T> Reports { get { lock (reports) return [.. reports]; } }

    public void Report(T value)
    {
        lock (reports) reports.Add(value);
    }
}

/// <summary>
/// A ledger written by a writer into a folder (segments, checkpoints, verifier key, index rows), in waves of
/// concurrent appends so there are many checkpoints and, through <see cref="TestStore"/>, several segments.
/// Tests copy it and change the copy.
/// </summary>
internal sealed class FolderLedger : IDisposable
{
    private readonly TempFolder folder;

    private FolderLedger(TempFolder folder, string verifierKey, LedgerEntry[] entries, List<long> checkpointSizes, List<long> segmentStarts, ECDsa key)
    {
        this.folder = folder;
        VerifierKey = verifierKey;
        Entries = entries;
        CheckpointSizes = checkpointSizes;
        SegmentStarts = segmentStarts;
        Key = key;
    }

    public string Root => folder.Sub("ledger");
    public string VerifierKey { get; }
    public IReadOnlyList<LedgerEntry> Entries { get; }
    public IReadOnlyList<long> CheckpointSizes { get; }
    public IReadOnlyList<long> SegmentStarts { get; }
    public ECDsa Key { get; }
    public int Size => Entries.Count;

    public static async Task<FolderLedger> WriteAsync(int count, int wave, int maxBlocksPerSegment, ECDsa? key = null, Func<int, LedgerEntry>? entry = null)
    {
        key ??= LedgerTestKit.NewKey();
        var entries = Enumerable.Range(0, count).Select(entry ?? (i => LedgerTestKit.Numbered(i))).ToArray();
        var folder = new TempFolder();
        var root = folder.Sub("ledger");
        await WriteIntoAsync(root, entries, wave, maxBlocksPerSegment, key);
        var store = new DirectoryLedgerStore(root);
        var segments = (await store.ListSegmentsAsync(CancellationToken.None)).Select(segment => segment.FirstIndex).ToList();
        return new FolderLedger(folder, LedgerTestKit.Signer(LedgerTestKit.SameKey(key)).VerifierKey, entries,
            await LedgerTestKit.CheckpointSizesAsync(store), segments, key);
    }

    public static async Task WriteIntoAsync(string root, IReadOnlyList<LedgerEntry> entries, int wave, int maxBlocksPerSegment, ECDsa key)
    {
        var writer = await LedgerTestKit.OpenAsync(
            new TestStore(new DirectoryLedgerStore(root), maxBlocksPerSegment), new DirectoryLedgerIndex(root), LedgerTestKit.Signer(LedgerTestKit.SameKey(key)));
        await using (writer)
        {
            for (var start = 0; start < entries.Count; start += wave)
                await writer.AppendAllAsync(entries.Skip(start).Take(wave));
            await LedgerTestKit.WaitForIndexAsync(writer);
        }
    }

    /// <summary>A fresh copy of the ledger folder, deleted with the returned handle.</summary>
    public LedgerCopy Copy()
    {
        var copy = new TempFolder();
        TempFolder.CopyTree(Root, copy.Path);
        return new LedgerCopy(copy, VerifierKey);
    }

    public void Dispose() => folder.Dispose();
}

/// <summary>A copy of a folder ledger to tamper with, and its verification.</summary>
internal sealed class LedgerCopy(TempFolder folder, string verifierKey) : IDisposable
{
    public string Root => folder.Path;
    public string PathOf(string name) => Path.Combine(Root, name);
    public string SegmentPath(long firstIndex) => PathOf(LedgerLayout.Segment(firstIndex));
    public string CheckpointPath(long size) => PathOf(LedgerLayout.Checkpoint(size));
    public string RowsPath => PathOf(DirectoryLedgerIndex.RowsFile);

    public LedgerVerifier Verifier(bool withIndex = true, string? trustedCheckpoint = null, bool deep = false) =>
        new(new DirectoryLedgerStore(Root), EcdsaNoteVerifier.Parse(verifierKey), withIndex ? new DirectoryLedgerIndex(Root) : null)
        {
            TrustedCheckpoint = trustedCheckpoint,
            Deep = deep,
        };

    public Task<VerificationReport> VerifyAsync(bool withIndex = true, string? trustedCheckpoint = null, bool deep = false) =>
        Verifier(withIndex, trustedCheckpoint, deep).VerifyAsync();

    /// <summary>Where entry <paramref name="index"/>'s line is: file, byte offset, length without the newline.</summary>
    public (string Path, int Offset, int Length) Locate(long index)
    {
        var segments = Directory.EnumerateFiles(PathOf(LedgerLayout.SegmentPrefix)).Order(StringComparer.Ordinal).ToList();
        var at = 0L;
        foreach (var path in segments)
        {
            var bytes = File.ReadAllBytes(path);
            for (var start = 0; start < bytes.Length;)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start);
                if (at == index) return (path, start, end - start);
                at++;
                start = end + 1;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(index), $"The ledger has {at} entries.");
    }

    /// <summary>Replaces the first occurrence of <paramref name="from"/> within entry <paramref name="index"/>'s line (same length).</summary>
    public void ChangeEntry(long index, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        var (path, offset, length) = Locate(index);
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan(offset, length).IndexOf(Encoding.UTF8.GetBytes(from));
        Assert.True(at >= 0, $"'{from}' is not in entry {index}");
        Encoding.UTF8.GetBytes(to).CopyTo(bytes, offset + at);
        File.WriteAllBytes(path, bytes);
    }

    public string[] RowLines() => File.ReadAllText(RowsPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void WriteRowLines(IEnumerable<string> lines) => File.WriteAllText(RowsPath, string.Concat(lines.Select(line => line + "\n")));

    public int RowLineOf(long index) => Array.FindIndex(RowLines(), line => line.Contains($"\"index\":{index},", StringComparison.Ordinal));

    public void Dispose() => folder.Dispose();
}
