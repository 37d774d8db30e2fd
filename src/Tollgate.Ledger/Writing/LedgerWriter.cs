using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Reading;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Writing;

/// <summary>
/// Appends entries with group commit: appends that arrive while a block is being written wait and go out
/// together as the next block, so throughput does not depend on one round trip per entry. An append
/// completes when its block is in a segment <em>and</em> a signed checkpoint covers it.
/// </summary>
/// <remarks>
/// Crash safety comes from storage, not from the writer's memory: a block is appended only at the length
/// the writer last saw (so an unknown outcome can be resolved by reading back), the writer rebuilds its
/// state from the segments on open, and publishes the checkpoint a crash may have left unwritten. A
/// retried append finds its key and returns the stored index. Several writers may share a ledger: the
/// append-position condition fences them and the loser reads what the winner wrote before retrying.
/// </remarks>
public sealed class LedgerWriter : ILedgerReader, IAsyncDisposable
{
    private readonly LedgerStore store;
    private readonly LedgerIndexStore? index;
    private readonly EcdsaNoteSigner signer;
    private readonly LedgerOptions options;
    private readonly ILogger logger;
    private readonly LedgerState state = new();
    private readonly object gate = new();
    private readonly Dictionary<UInt128, PendingAppend> inFlight = [];
    private readonly Channel<PendingAppend> queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<List<IndexedEntry>> indexQueue = Channel.CreateUnbounded<List<IndexedEntry>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private Task committing = Task.CompletedTask;
    private Task indexing = Task.CompletedTask;
    private Task? closing;
    private SignedCheckpoint latest = null!;
    private long indexedSize;

    private LedgerWriter(LedgerStore store, LedgerIndexStore? index, EcdsaNoteSigner signer, LedgerOptions options, ILogger logger)
    {
        this.store = store;
        this.index = index;
        this.signer = signer;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>The newest signed checkpoint; every entry below its size is readable and provable.</summary>
    public SignedCheckpoint Latest { get { lock (gate) return latest; } }

    /// <summary>Entries committed but not yet in the lookup index.</summary>
    public long IndexLag { get { lock (gate) return latest.Size - Interlocked.Read(ref indexedSize); } }

    public long CheckpointSize => Latest.Size;
    public string? CheckpointNote => Latest.Note;

    /// <summary>Whether closing has begun (<see cref="DisposeAsync"/>): every append from then on is refused.</summary>
    public bool IsClosed { get { lock (gate) return closing is not null; } }

    public string VerifierKey => signer.VerifierKey;
    public string Origin => options.Origin;

    /// <summary>
    /// Opens the ledger in <paramref name="store"/>: records the verifier key on first use (and refuses a
    /// signer whose key differs from the recorded one), reads every segment, publishes a checkpoint for
    /// what a crash left uncovered, and catches the index up.
    /// </summary>
    public static async Task<LedgerWriter> OpenAsync(
        LedgerStore store, LedgerIndexStore? index, EcdsaNoteSigner signer, LedgerOptions options, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var writer = new LedgerWriter(store, index, signer, options, logger ?? NullLogger.Instance);
        await writer.RecordVerifierKeyAsync(cancellationToken);
        var unindexed = await writer.LoadAsync(cancellationToken);
        await writer.PublishCheckpointAsync(cancellationToken);
        writer.committing = Task.Run(writer.CommitLoopAsync);
        if (index is not null)
        {
            writer.indexedSize = Math.Min(await index.GetIndexedSizeAsync(cancellationToken), writer.state.Size);
            var missing = unindexed.Where(row => row.Index >= writer.indexedSize).ToList();
            if (missing.Count > 0) writer.indexQueue.Writer.TryWrite(missing);
            writer.indexing = Task.Run(writer.IndexLoopAsync);
        }
        return writer;
    }

    /// <summary>Appends <paramref name="entry"/>, or returns where its key already is.</summary>
    /// <exception cref="LedgerException">
    /// <see cref="LedgerReason.KeyConflict"/> when the key holds different content; <see cref="LedgerReason.Screened"/> when
    /// <see cref="LedgerOptions.Screen"/> refuses it; <see cref="LedgerReason.Unavailable"/>
    /// when storage kept failing (the entry may be stored; appending again is safe); <see cref="LedgerReason.Closed"/>.
    /// </exception>
    public Task<AppendReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        if (options.Screen?.Invoke(entry) is { } refusal) throw new LedgerException(LedgerReason.Screened, $"Entry '{entry.Key}' was refused: {refusal}; nothing was written.");
        var keyHash = LedgerState.KeyHash(entry.Key);
        var leaf = Rfc9162Hasher.HashLeaf(entry.Bytes);
        PendingAppend pending;
        lock (gate)
        {
            if (closing is not null) throw new LedgerException(LedgerReason.Closed, "The ledger writer is closed.");
            if (state.Find(keyHash) is { } existing && existing < latest.Size)
                return Task.FromResult(ExistingReceipt(entry, leaf, existing));
            if (inFlight.TryGetValue(keyHash, out var sameKey))
            {
                if (!sameKey.Leaf.AsSpan().SequenceEqual(leaf)) throw KeyConflict(entry.Key, null);
                return sameKey.Completion.Task.WaitAsync(cancellationToken);
            }
            pending = new PendingAppend(entry, keyHash, leaf);
            // The queue is completed once DisposeAsync has begun: refuse rather than leave the append waiting forever.
            if (!queue.Writer.TryWrite(pending)) throw new LedgerException(LedgerReason.Closed, "The ledger writer is closing.");
            inFlight[keyHash] = pending;
        }
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AppendReceipt>> AppendAllAsync(IEnumerable<LedgerEntry> entries, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(entries.Select(entry => AppendAsync(entry, cancellationToken)));

    /// <summary>The index of the entry with <paramref name="key"/>, if it is covered by the latest checkpoint.</summary>
    public long? Find(string key)
    {
        lock (gate) return state.Find(LedgerState.KeyHash(key)) is { } found && found < latest.Size ? found : null;
    }

    public async Task<byte[]> ReadEntryAsync(long entryIndex, CancellationToken cancellationToken = default)
    {
        (long Segment, long Offset, int Length) location;
        lock (gate)
        {
            CheckIndex(entryIndex, latest.Size);
            location = state.Locate(entryIndex);
        }
        return await store.ReadSegmentAsync(location.Segment, location.Offset, location.Length, cancellationToken);
    }

    public byte[] LeafHash(long entryIndex)
    {
        lock (gate) { CheckIndex(entryIndex, latest.Size); return state.Tree.LeafHash(entryIndex); }
    }

    public byte[] RootHash(long size)
    {
        lock (gate) { CheckSize(size); return state.Tree.RootHash(size); }
    }

    public IReadOnlyList<byte[]> InclusionProof(long entryIndex, long size)
    {
        lock (gate)
        {
            CheckSize(size);
            CheckIndex(entryIndex, size);
            return state.Tree.InclusionProof(entryIndex, size);
        }
    }

    public IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2)
    {
        lock (gate)
        {
            CheckSize(size2);
            if (size1 < 0 || size1 > size2) throw new LedgerException(LedgerReason.BadRange, $"A consistency proof needs 0 <= size1 <= size2; got {size1} and {size2}.");
            return state.Tree.ConsistencyProof(size1, size2);
        }
    }

    /// <summary>Writes what is queued, lets the index catch up briefly, and closes; later calls wait for the first.</summary>
    public ValueTask DisposeAsync()
    {
        lock (gate)
        {
            closing ??= CloseAsync();
            return new ValueTask(closing);
        }
    }

    private async Task CloseAsync()
    {
        queue.Writer.TryComplete();
        await committing;
        indexQueue.Writer.TryComplete();
        await stopping.CancelAsync();
        await indexing;
    }

    private async Task RecordVerifierKeyAsync(CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(signer.VerifierKey + "\n");
        if (await store.TryCreateObjectAsync(LedgerLayout.VerifierKey, key, cancellationToken)) return;
        var recorded = await store.ReadObjectAsync(LedgerLayout.VerifierKey, cancellationToken);
        if (recorded is null || !recorded.AsSpan().SequenceEqual(key))
            throw new LedgerException("LEDGER_KEY_MISMATCH",
                $"This ledger is signed by the key in {LedgerLayout.VerifierKey}, not by '{signer.VerifierKey}'; refusing to write checkpoints no verifier of this ledger would accept.");
    }

    private async Task<List<IndexedEntry>> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = new List<IndexedEntry>();
        foreach (var segment in await store.ListSegmentsAsync(cancellationToken))
        {
            state.AddSegment(segment);
            var bytes = await store.ReadSegmentAsync(segment.FirstIndex, 0, null, cancellationToken);
            rows.AddRange(state.Apply(bytes, 0, segment.BlockCount));
        }
        return rows;
    }

    /// <summary>Reads what other writers, or an earlier attempt of ours, appended since we last looked.</summary>
    private async Task<List<IndexedEntry>> CatchUpAsync(CancellationToken cancellationToken)
    {
        var rows = new List<IndexedEntry>();
        var stored = await store.ListSegmentsAsync(cancellationToken);
        foreach (var segment in stored.Where(segment => segment.FirstIndex >= (state.Current?.FirstIndex ?? 0)))
        {
            lock (gate)
            {
                if (state.Current is null || segment.FirstIndex > state.Current.FirstIndex) state.AddSegment(segment);
            }
            var known = state.Current!.Length;
            if (segment.Length <= known) continue;
            var bytes = await store.ReadSegmentAsync(segment.FirstIndex, known, segment.Length - known, cancellationToken);
            lock (gate) rows.AddRange(state.Apply(bytes, known, Math.Max(0, segment.BlockCount - state.Current.BlockCount)));
        }
        return rows;
    }

    /// <summary>
    /// Writes blocks one after another. A checkpoint follows each block, except that while more appends are
    /// already queued and the last checkpoint is younger than <see cref="LedgerOptions.CheckpointInterval"/>,
    /// the next block's checkpoint covers this one too: under sustained load that bounds signatures (and an
    /// auditor's verification work), and costs a waiting append at most one more block. An append never
    /// waits for a timer: when nothing else is queued, its block is checkpointed at once.
    /// </summary>
    private async Task CommitLoopAsync()
    {
        var uncovered = new List<PendingAppend>();
        var lastCheckpoint = Stopwatch.StartNew();
        while (await queue.Reader.WaitToReadAsync() || uncovered.Count > 0)
        {
            var batch = new List<PendingAppend>();
            var bytes = 0L;
            while (batch.Count < options.MaxBatchEntries && queue.Reader.TryPeek(out var next)
                   && bytes + next.Entry.Bytes.Length + 1 <= store.MaxBlockBytes && queue.Reader.TryRead(out next))
            {
                batch.Add(next);
                bytes += next.Entry.Bytes.Length + 1;
            }
            try
            {
                await WriteBatchAsync(batch);
                uncovered.AddRange(batch);
            }
            catch (Exception e)
            {
                Fail(batch, e);
            }
            // More appends already queued and a fresh checkpoint: write them first, one checkpoint covers both.
            if (uncovered.Count == 0 || (queue.Reader.TryPeek(out _) && lastCheckpoint.Elapsed < options.CheckpointInterval)) continue;
            try
            {
                if (options.FaultInjection is { } inject) await inject(LedgerFaultPoints.AfterBlockBeforeCheckpoint);
                await PublishCheckpointAsync(CancellationToken.None);
                lastCheckpoint.Restart();
                Complete(uncovered);
            }
            catch (Exception e)
            {
                // The blocks are stored; only the signature is missing. Appending again is safe and finds them.
                Fail(uncovered, e);
            }
            uncovered.Clear();
        }
    }

    private async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        Exception? lastError = null;
        for (var attempt = 1; attempt <= options.CommitAttempts; attempt++)
        {
            var waiting = Settle(batch);
            if (waiting.Count == 0)
            {
                // Everything is stored, by this writer or by an attempt whose outcome was unknown and that a read-back found.
                lastError = null;
                break;
            }
            try
            {
                await AppendBlockAsync(waiting);
                lastError = null;
                break;
            }
            catch (Exception e) when (e is not LedgerException { Reason: LedgerReason.Corrupt })
            {
                // A conflict or an unknown outcome: read back what storage holds, then settle again.
                lastError = e;
                // A conflict means another writer is appending: back off a random while, or two writers keep colliding.
                await Task.Delay(e is LedgerWriteConflictException
                    ? TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt))
                    : options.RetryDelay * attempt);
                try { Index(await CatchUpAsync(CancellationToken.None)); }
                catch (Exception readError) when (readError is not LedgerException { Reason: LedgerReason.Corrupt }) { lastError = readError; }
            }
        }
        if (lastError is not null)
            throw new LedgerException(LedgerReason.Unavailable, $"The ledger could not be written after {options.CommitAttempts} attempts: {lastError.Message}");
    }

    /// <summary>Drops from the batch whatever storage already holds; returns what is still to write.</summary>
    private List<PendingAppend> Settle(List<PendingAppend> batch)
    {
        lock (gate) return [.. batch.Where(pending => state.Find(pending.KeyHash) is null)];
    }

    private async Task AppendBlockAsync(List<PendingAppend> waiting)
    {
        var current = state.Current;
        if (current is null || current.BlockCount >= store.MaxBlocksPerSegment)
        {
            await store.CreateSegmentAsync(state.Size, CancellationToken.None);
            lock (gate) state.AddSegment(new SegmentInfo(state.Size, 0, 0));
            current = state.Current!;
        }
        var block = new byte[waiting.Sum(pending => pending.Entry.Bytes.Length + 1)];
        var position = 0;
        foreach (var pending in waiting)
        {
            pending.Entry.Bytes.CopyTo(block, position);
            position += pending.Entry.Bytes.Length;
            block[position++] = (byte)'\n';
        }
        await store.AppendBlockAsync(current.FirstIndex, current.Length, block, CancellationToken.None);
        List<IndexedEntry> rows;
        lock (gate) rows = state.Apply(block, current.Length, 1);
        Index(rows);
    }

    private async Task PublishCheckpointAsync(CancellationToken cancellationToken)
    {
        long size;
        byte[] root;
        lock (gate)
        {
            size = state.Size;
            root = state.Tree.RootHash();
            if (latest is not null && latest.Size == size) return;
        }
        var note = signer.SignNote(new Checkpoint(options.Origin, size, root, []).ToNoteText());
        // Exists already when a crash came after the checkpoint and before anything newer, or another writer published it.
        await store.TryCreateObjectAsync(LedgerLayout.Checkpoint(size), Encoding.UTF8.GetBytes(note), cancellationToken);
        lock (gate)
        {
            if (latest is null || latest.Size < size) latest = new SignedCheckpoint(size, root, note);
        }
    }

    private void Complete(List<PendingAppend> batch)
    {
        lock (gate)
        {
            foreach (var pending in batch)
            {
                inFlight.Remove(pending.KeyHash);
                var stored = state.Find(pending.KeyHash);
                if (stored is null || stored >= latest.Size)
                {
                    pending.Completion.TrySetException(new LedgerException(LedgerReason.Unavailable, $"Entry '{pending.Entry.Key}' was not stored."));
                    continue;
                }
                if (!state.Tree.LeafHash(stored.Value).AsSpan().SequenceEqual(pending.Leaf))
                {
                    pending.Completion.TrySetException(KeyConflict(pending.Entry.Key, stored));
                    continue;
                }
                pending.Completion.TrySetResult(new AppendReceipt(stored.Value, pending.Entry.Key, Convert.ToHexStringLower(pending.Leaf), false, latest.Size));
            }
        }
    }

    private void Fail(List<PendingAppend> batch, Exception error)
    {
        logger.LogError(error, "Ledger commit of {Count} entries failed", batch.Count);
        lock (gate)
        {
            foreach (var pending in batch)
            {
                inFlight.Remove(pending.KeyHash);
                pending.Completion.TrySetException(error is LedgerException ? error : new LedgerException(LedgerReason.Unavailable, error.Message));
            }
        }
    }

    private void Index(List<IndexedEntry> rows)
    {
        if (index is not null && rows.Count > 0) indexQueue.Writer.TryWrite(rows);
    }

    private async Task IndexLoopAsync()
    {
        while (await indexQueue.Reader.WaitToReadAsync())
        {
            var rows = new List<IndexedEntry>();
            // Small batches while appends wait, so no single index write holds storage up for long (see YieldToAppendsAsync).
            var batch = AppendsWaiting ? 500 : 10_000;
            while (rows.Count < batch && indexQueue.Reader.TryRead(out var more)) rows.AddRange(more);
            rows = [.. rows.Where(row => row.Index >= Interlocked.Read(ref indexedSize)).OrderBy(row => row.Index)];
            if (rows.Count == 0) continue;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var clock = Stopwatch.StartNew();
                    await index!.AddAsync(rows, CancellationToken.None);
                    await index.SetIndexedSizeAsync(rows[^1].Index + 1, CancellationToken.None);
                    Interlocked.Exchange(ref indexedSize, rows[^1].Index + 1);
                    await YieldToAppendsAsync(clock.Elapsed);
                    break;
                }
                catch (Exception e) when (!stopping.IsCancellationRequested || attempt < 3)
                {
                    // The index is a projection: the segments hold the truth, so keep trying rather than fail appends.
                    logger.LogWarning(e, "Ledger index update failed (attempt {Attempt}); retrying", attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * attempt)));
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Ledger index left behind at {Size}; the next writer catches it up", Interlocked.Read(ref indexedSize));
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The segments are the truth and the index only a projection of them, so while appends are waiting the index
    /// takes at most a quarter of the time: on one storage account (and more so on one Azurite process) its
    /// table writes would otherwise slow the appends down. It catches up as soon as the appends pause.
    /// </summary>
    private async Task YieldToAppendsAsync(TimeSpan indexWork)
    {
        if (!AppendsWaiting) return;
        try { await Task.Delay(indexWork * IndexYieldFactor, stopping.Token); }
        catch (OperationCanceledException) { }
    }

    private const int IndexYieldFactor = 3;

    private bool AppendsWaiting
    {
        get { lock (gate) return inFlight.Count > 0; }
    }

    private AppendReceipt ExistingReceipt(LedgerEntry entry, byte[] leaf, long existing)
    {
        if (!state.Tree.LeafHash(existing).AsSpan().SequenceEqual(leaf)) throw KeyConflict(entry.Key, existing);
        return new AppendReceipt(existing, entry.Key, Convert.ToHexStringLower(leaf), true, latest.Size);
    }

    private static LedgerException KeyConflict(string key, long? existing) => new(LedgerReason.KeyConflict,
        $"Key '{key}' {(existing is { } at ? $"is entry {at}" : "is being appended")} with different content; an entry key names one fact, so nothing was written.");

    private static void CheckIndex(long entryIndex, long size)
    {
        if (entryIndex < 0 || entryIndex >= size) throw new LedgerException(LedgerReason.BadRange, $"No entry {entryIndex}: the ledger has {size} (checkpointed) entries.");
    }

    private void CheckSize(long size)
    {
        if (size < 0 || size > latest.Size) throw new LedgerException(LedgerReason.BadRange, $"Tree size {size} is beyond the latest checkpoint ({latest.Size}).");
    }

    private sealed class PendingAppend(LedgerEntry entry, UInt128 keyHash, byte[] leaf)
    {
        public LedgerEntry Entry { get; } = entry;
        public UInt128 KeyHash { get; } = keyHash;
        public byte[] Leaf { get; } = leaf;
        public TaskCompletionSource<AppendReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
