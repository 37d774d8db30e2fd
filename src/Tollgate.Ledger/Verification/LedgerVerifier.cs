using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Ledger.Verification;

/// <summary>
/// Checks a whole ledger without trusting whoever wrote it: every checkpoint's signature, every entry's
/// validity and leaf hash, the tree at every checkpoint size, segment continuity, and every index row
/// against the entry it names. Reads from any <see cref="LedgerStore"/>: Blob storage or an exported folder.
/// </summary>
/// <remarks>
/// Entries are parsed and hashed in parallel chunks and folded into the tree in order, so the cost is
/// close to hashing the bytes once. The checkpoints are dense (one per group commit), so a changed entry
/// is pinned to the range between two checkpoints, and to the exact index by the leaf hash its index row
/// recorded when it was appended.
/// </remarks>
public sealed class LedgerVerifier(LedgerStore store, EcdsaNoteVerifier key, LedgerIndexStore? index = null)
{
    private const int ChunkBytes = 8 * 1024 * 1024;
    private const int MaxProblems = 100;

    // Fields, not captured parameters: the nested Run reads them through its owner.
    private readonly LedgerStore store = store;
    private readonly EcdsaNoteVerifier key = key;
    private readonly LedgerIndexStore? index = index;

    /// <summary>A checkpoint the auditor kept from earlier: the ledger must still contain the tree it signed.</summary>
    public string? TrustedCheckpoint { get; init; }

    public IProgress<VerificationProgress>? Progress { get; init; }

    /// <summary>Also re-check every entry against every rule an append enforces (canonical form, envelope, kind payload); slower.</summary>
    public bool Deep { get; init; }

    public async Task<VerificationReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var run = new Run(this);
        await run.CheckVerifierKeyAsync(cancellationToken);
        await run.LoadCheckpointsAsync(cancellationToken);
        await run.LoadIndexAsync(cancellationToken);
        await run.CheckEntriesAsync(cancellationToken);
        run.CheckTrustedCheckpoint();
        return run.Report();
    }

    private sealed class Run(LedgerVerifier owner)
    {
        private readonly List<VerificationProblem> problems = [];
        private readonly List<string> notes = [];
        private readonly SortedDictionary<long, Checkpoint> checkpoints = [];
        private readonly Dictionary<long, List<IndexRecord>> rows = [];
        private readonly HashSet<UInt128> keys = [];
        private readonly MerkleTree tree = new();
        private readonly List<(long Index, string Source)> suspectLeaves = [];
        private long indexedSize, rowsChecked, previousCheckpoint;
        private long[] checkpointSizes = [];
        private int nextCheckpoint;
        private bool treeBroken;

        private void Problem(long? index, string reason, string subject, string detail)
        {
            if (problems.Count < MaxProblems) problems.Add(new VerificationProblem(index, reason, subject, detail));
        }

        public async Task CheckVerifierKeyAsync(CancellationToken cancellationToken)
        {
            var recorded = await owner.store.ReadObjectAsync(LedgerLayout.VerifierKey, cancellationToken);
            // Exactly the bytes a writer records (the key and one newline), as the writer itself insists on reopening.
            var recordedText = recorded is null ? null : Encoding.UTF8.GetString(recorded);
            if (recordedText is null) notes.Add($"The ledger holds no {LedgerLayout.VerifierKey}.");
            else if (recordedText != owner.key.VerifierKey + "\n")
                Problem(null, VerificationReason.KeyMismatch, LedgerLayout.VerifierKey,
                    $"The ledger records '{recordedText.TrimEnd('\n')}' ({recorded!.Length} bytes), but verification uses '{owner.key.VerifierKey}' and one newline.");
        }

        public async Task LoadCheckpointsAsync(CancellationToken cancellationToken)
        {
            var names = await owner.store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, cancellationToken);
            var notes = new byte[]?[names.Count];
            var read = 0;
            // Reads overlap (one round trip each on Blob storage); signatures are checked on every core.
            await Parallel.ForAsync(0, names.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, token) =>
            {
                if (LedgerLayout.TryParseCheckpoint(names[i], out _)) notes[i] = await owner.store.ReadObjectAsync(names[i], token);
                // One at a time, so a progress bar never sees the count go backwards.
                lock (notes) owner.Progress?.Report(new VerificationProgress("checkpoints", ++read, names.Count));
            });
            var outcomes = new (Checkpoint? Checkpoint, string? Reason, string? Detail)[names.Count];
            Parallel.For(0, names.Count, i => outcomes[i] = OpenCheckpoint(names[i], notes[i]));
            for (var i = 0; i < names.Count; i++)
            {
                var name = names[i];
                if (!LedgerLayout.TryParseCheckpoint(name, out var size))
                    Problem(null, VerificationReason.StrayObject, name, "not a checkpoint name; nothing in a ledger folder may be unaccounted for");
                else if (outcomes[i].Checkpoint is { } checkpoint) checkpoints[size] = checkpoint;
                else Problem(Math.Max(0, size - 1), outcomes[i].Reason!, name, outcomes[i].Detail!);
            }
            checkpointSizes = [.. checkpoints.Keys];
        }

        private (Checkpoint?, string?, string?) OpenCheckpoint(string name, byte[]? bytes)
        {
            if (!LedgerLayout.TryParseCheckpoint(name, out var size)) return (null, null, null);
            try
            {
                var checkpoint = Checkpoint.ParseNoteText(owner.key.Open(Encoding.UTF8.GetString(bytes ?? [])));
                if (checkpoint.Size != size)
                    return (null, VerificationReason.BadCheckpoint, $"signs size {checkpoint.Size}, but is stored as checkpoint {size}");
                if (checkpoint.Origin != owner.key.KeyName)
                    return (null, VerificationReason.BadCheckpoint, $"origin '{checkpoint.Origin}' is not this ledger's '{owner.key.KeyName}'");
                return (checkpoint, null, null);
            }
            catch (Exception e) when (e is NoteVerificationException or NoteFormatException or CheckpointFormatException or DecoderFallbackException)
            {
                return (null, VerificationReason.BadSignature, $"{ReasonOf(e)}: {e.Message}");
            }
        }

        public async Task LoadIndexAsync(CancellationToken cancellationToken)
        {
            if (owner.index is null) return;
            indexedSize = await owner.index.GetIndexedSizeAsync(cancellationToken);
            await foreach (var record in owner.index.ReadAllAsync(cancellationToken))
            {
                if (record.Index < 0)
                {
                    Problem(null, VerificationReason.IndexMismatch, record.Source, "the row cannot be read");
                    continue;
                }
                if (!rows.TryGetValue(record.Index, out var list)) rows[record.Index] = list = [];
                list.Add(record);
            }
        }

        public async Task CheckEntriesAsync(CancellationToken cancellationToken)
        {
            var segments = await owner.store.ListSegmentsAsync(cancellationToken);
            var totalBytes = segments.Sum(segment => segment.Length);
            while (nextCheckpoint < checkpointSizes.Length && checkpointSizes[nextCheckpoint] == 0) CheckRoot(checkpoints[checkpointSizes[nextCheckpoint++]]);
            long bytesDone = 0;
            foreach (var segment in segments)
            {
                if (segment.FirstIndex != tree.Size)
                {
                    // Rows that disagree with entries before the gap pin the change there, whether or not a checkpoint came between.
                    ReportSuspects(VerificationReason.LeafMismatch, "and the segments after it no longer line up, so an entry was changed, inserted or removed");
                    Problem(tree.Size, VerificationReason.SegmentGap, LedgerLayout.Segment(segment.FirstIndex),
                        $"the segment starts at index {segment.FirstIndex}, but the entries before it end at {tree.Size}; a segment is missing, misnamed or reordered");
                    return;
                }
                var carry = Array.Empty<byte>();
                for (long offset = 0; offset < segment.Length;)
                {
                    var count = Math.Min(ChunkBytes, segment.Length - offset);
                    var chunk = await owner.store.ReadSegmentAsync(segment.FirstIndex, offset, count, cancellationToken);
                    if (chunk.Length == 0) break;
                    var lineStart = offset - carry.Length;
                    var bytes = carry.Length == 0 ? chunk : [.. carry, .. chunk];
                    offset += chunk.Length;
                    var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
                    CheckLines(bytes.AsMemory(0, end), segment.FirstIndex, lineStart);
                    carry = bytes[end..];
                    bytesDone += chunk.Length;
                    owner.Progress?.Report(new VerificationProgress("entries", bytesDone, totalBytes));
                }
                if (carry.Length > 0)
                    Problem(tree.Size, VerificationReason.TornSegment, LedgerLayout.Segment(segment.FirstIndex),
                        $"the segment ends in {carry.Length} bytes that are not a whole line");
            }
            FinishEntries();
        }

        private void CheckLines(ReadOnlyMemory<byte> block, long segment, long blockOffset)
        {
            var lines = new List<(int Start, int Length)>();
            for (var position = 0; position < block.Length;)
            {
                var length = block.Span[position..].IndexOf((byte)'\n');
                lines.Add((position, length));
                position += length + 1;
            }
            var leaves = new byte[lines.Count * Rfc9162Hasher.HashSize];
            var envelopes = new EntryEnvelope?[lines.Count];
            var keyHashes = new UInt128[lines.Count];
            var errors = new string?[lines.Count];
            // Contiguous stripes, one per core: per-line scheduling would cost more than hashing a small entry.
            var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, lines.Count / 256));
            Parallel.For(0, workers, worker =>
            {
                var (from, to) = ((int)((long)lines.Count * worker / workers), (int)((long)lines.Count * (worker + 1) / workers));
                for (var i = from; i < to; i++)
                {
                    var line = block.Span.Slice(lines[i].Start, lines[i].Length);
                    Rfc9162Hasher.HashLeaf(line, leaves.AsSpan(i * Rfc9162Hasher.HashSize, Rfc9162Hasher.HashSize));
                    // The signed roots cover every byte, so integrity needs only the leaf. The envelope is read where
                    // something is compared with it (index rows, duplicate keys in deep mode).
                    if (!owner.Deep && rows.Count == 0 && tree.Size + i >= indexedSize) continue;
                    try
                    {
                        if (owner.Deep) LedgerEntry.Parse(line);
                        if (!EntryEnvelope.TryRead(line, out var envelope)) throw new LedgerException(LedgerReason.NotJson, "the line is not a ledger entry (no readable key, kind, correlation_id and time)");
                        envelopes[i] = envelope;
                        if (owner.Deep) keyHashes[i] = LedgerState.KeyHash(envelope.Key);
                    }
                    catch (LedgerException e) { errors[i] = $"{e.Reason}: {e.Message}"; }
                }
            });

            // The whole block goes into the tree at once (its levels hash on every core); a checkpoint inside it is
            // compared with the root at its own size, which the tree keeps for every size it has grown through.
            var firstIndex = tree.Size;
            tree.AppendLeafHashes(leaves);
            for (var i = 0; i < lines.Count; i++)
            {
                var entryIndex = firstIndex + i;
                if (errors[i] is { } error) Problem(entryIndex, VerificationReason.EntryInvalid, LedgerLayout.Segment(segment), error);
                else if (owner.Deep && !keys.Add(keyHashes[i]))
                    Problem(entryIndex, VerificationReason.DuplicateKey, LedgerLayout.Segment(segment), $"key '{envelopes[i]!.Value.Key}' appears earlier in the ledger");
                CheckRows(entryIndex, envelopes[i], leaves.AsSpan(i * Rfc9162Hasher.HashSize, Rfc9162Hasher.HashSize), segment, blockOffset + lines[i].Start, lines[i].Length);
                if (nextCheckpoint < checkpointSizes.Length && checkpointSizes[nextCheckpoint] == entryIndex + 1)
                    CheckRoot(checkpoints[checkpointSizes[nextCheckpoint++]]);
            }
        }

        private void CheckRows(long entryIndex, EntryEnvelope? fields, ReadOnlySpan<byte> leafHash, long segment, long offset, int length)
        {
            if (rows.Count == 0 && entryIndex >= indexedSize) return;
            if (!rows.Remove(entryIndex, out var found))
            {
                if (entryIndex < indexedSize)
                    Problem(entryIndex, VerificationReason.IndexMissing, "index", $"no index row for entry {entryIndex}, though the index claims to cover {indexedSize} entries");
                return;
            }
            if (entryIndex < indexedSize && !found.Any(row => row.SegmentFirstIndex is not null))
                Problem(entryIndex, VerificationReason.IndexMissing, "index", $"entry {entryIndex} has no entry row");
            var leaf = Convert.ToHexStringLower(leafHash);
            foreach (var row in found)
            {
                rowsChecked++;
                if (row.LeafHash is not null && row.LeafHash != leaf)
                {
                    suspectLeaves.Add((entryIndex, row.Source));
                    continue;
                }
                var mismatch =
                    row.Key is not null && row.Key != fields?.Key ? $"key '{row.Key}' but the entry's is '{fields?.Key}'"
                    : row.Kind is not null && row.Kind != fields?.Kind ? $"kind '{row.Kind}' but the entry's is '{fields?.Kind}'"
                    : row.CorrelationId is not null && row.CorrelationId != fields?.CorrelationId ? $"correlation '{row.CorrelationId}' but the entry's is '{fields?.CorrelationId}'"
                    : row.Time is not null && row.Time != fields?.Time ? $"time {row.Time:O} but the entry's is {fields?.Time:O}"
                    : row.SegmentFirstIndex is not null && (row.SegmentFirstIndex != segment || row.Offset != offset || row.Length != length)
                        ? $"location {row.SegmentFirstIndex}/{row.Offset}+{row.Length} but the entry is at {segment}/{offset}+{length}"
                    : null;
                if (mismatch is not null) Problem(entryIndex, VerificationReason.IndexMismatch, row.Source, mismatch);
            }
        }

        private void CheckRoot(Checkpoint checkpoint)
        {
            var size = checkpoint.Size;
            if (treeBroken)
            {
                // Every later root covers the changed entry too; only rows still tell which entries differ.
                ReportSuspects(VerificationReason.LeafMismatch, "so the entry or its row was changed");
            }
            else if (!tree.RootHash(size).AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                treeBroken = true;
                if (suspectLeaves.Count > 0)
                    Problem(suspectLeaves[0].Index, VerificationReason.LeafMismatch, LedgerLayout.Checkpoint(size),
                        $"entry {suspectLeaves[0].Index} is not the entry that was appended: its leaf hash differs from the one recorded at append time ({suspectLeaves[0].Source}), and checkpoint {size} does not match");
                else
                    Problem(previousCheckpoint, VerificationReason.RootMismatch, LedgerLayout.Checkpoint(size),
                        $"the tree of the stored entries differs from the one checkpoint {size} signed: one of entries {previousCheckpoint}..{size - 1} was changed, inserted or removed");
                suspectLeaves.Clear();
            }
            else ReportSuspects(VerificationReason.IndexMismatch, "though the entry matches the signed tree, so the row was changed");
            previousCheckpoint = size;
        }

        private void ReportSuspects(string reason, string why)
        {
            foreach (var (entryIndex, source) in suspectLeaves)
                Problem(entryIndex, reason, source, $"the row records another leaf hash than entry {entryIndex} has, {why}");
            suspectLeaves.Clear();
        }

        private void FinishEntries()
        {
            var stored = tree.Size;
            if (checkpoints.Keys.FirstOrDefault(size => size > stored) is var beyond and > 0)
                Problem(stored, VerificationReason.Truncated, LedgerLayout.Checkpoint(beyond),
                    $"checkpoint {beyond} signs {beyond} entries, but storage holds {stored}: entries from {stored} on are missing");
            if (stored > 0 && checkpoints.Count == 0)
                Problem(0, VerificationReason.NoCheckpoint, LedgerLayout.CheckpointPrefix, "no valid signed checkpoint covers any entry");
            ReportSuspects(VerificationReason.IndexMismatch, "and no checkpoint covers the entry yet");
            foreach (var (entryIndex, list) in rows)
            {
                foreach (var row in list)
                    Problem(entryIndex, VerificationReason.IndexMismatch, row.Source, $"the row names entry {entryIndex}, but the ledger holds {stored} entries");
            }
        }

        public void CheckTrustedCheckpoint()
        {
            if (owner.TrustedCheckpoint is not { } note) return;
            try
            {
                var trusted = Checkpoint.ParseNoteText(owner.key.Open(note));
                if (trusted.Size > tree.Size)
                    Problem(tree.Size, VerificationReason.Truncated, "trusted checkpoint", $"it signs {trusted.Size} entries; storage holds {tree.Size}");
                else if (!tree.RootHash(trusted.Size).AsSpan().SequenceEqual(trusted.RootHash))
                    Problem(null, VerificationReason.Forked, "trusted checkpoint",
                        $"the stored ledger's first {trusted.Size} entries are not the ones the trusted checkpoint signed: history was rewritten");
                else notes.Add($"The ledger extends the trusted checkpoint of size {trusted.Size}.");
            }
            catch (Exception e) when (e is NoteVerificationException or NoteFormatException or CheckpointFormatException)
            {
                Problem(null, VerificationReason.BadSignature, "trusted checkpoint", $"{ReasonOf(e)}: {e.Message}");
            }
        }

        public VerificationReport Report()
        {
            var latest = checkpoints.Keys.Where(size => size <= tree.Size).DefaultIfEmpty(0).Max();
            var root = checkpoints.TryGetValue(latest, out var checkpoint) ? Convert.ToHexStringLower(checkpoint.RootHash) : null;
            return new VerificationReport(latest, tree.Size, checkpoints.Count, rowsChecked, tree.Size - latest, root, problems, notes);
        }

        private static string ReasonOf(Exception e) => e switch
        {
            NoteVerificationException note => note.Reason,
            NoteFormatException format => format.Reason,
            CheckpointFormatException checkpoint => checkpoint.Reason,
            _ => "NOTE_MALFORMED",
        };
    }
}
