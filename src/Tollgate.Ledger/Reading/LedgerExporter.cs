using Tollgate.Ledger.Index;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Reading;

/// <summary>
/// Copies a ledger byte for byte into a folder with the same layout (segments, checkpoints, verifier key,
/// bundle objects and manifests) plus every index row, so an auditor can verify it offline.
/// </summary>
public static class LedgerExporter
{
    private static readonly string[] ObjectPrefixes = [LedgerLayout.CheckpointPrefix, LedgerLayout.ObjectPrefix, LedgerLayout.BundlePrefix, LedgerLayout.VerifierKey];

    /// <exception cref="LedgerException">LEDGER_EXPORT_TARGET_NOT_EMPTY: the folder exists and holds files; nothing is written.</exception>
    public static async Task<ExportSummary> ExportAsync(
        LedgerStore source, LedgerIndexStore? sourceIndex, string folder, IProgress<(string Stage, long Done, long Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new LedgerException("LEDGER_EXPORT_TARGET_NOT_EMPTY", $"'{folder}' is not empty; export into a new folder so nothing is mixed or overwritten.");
        var target = new DirectoryLedgerStore(folder);

        var segments = await source.ListSegmentsAsync(cancellationToken);
        long bytes = 0, total = segments.Sum(segment => segment.Length);
        foreach (var segment in segments)
        {
            await target.CreateSegmentAsync(segment.FirstIndex, cancellationToken);
            var content = await source.ReadSegmentAsync(segment.FirstIndex, 0, segment.Length, cancellationToken);
            await target.AppendBlockAsync(segment.FirstIndex, 0, content, cancellationToken);
            bytes += content.Length;
            progress?.Report(("segments", bytes, total));
        }

        var objects = 0;
        foreach (var prefix in ObjectPrefixes)
        {
            var names = await source.ListObjectsAsync(prefix, cancellationToken);
            foreach (var name in names)
            {
                var content = await source.ReadObjectAsync(name, cancellationToken);
                if (content is not null && await target.TryCreateObjectAsync(name, content, cancellationToken)) objects++;
            }
            progress?.Report(("objects", objects, objects));
        }

        long rows = 0;
        if (sourceIndex is not null)
        {
            var index = new DirectoryLedgerIndex(folder);
            var batch = new List<IndexRecord>();
            await foreach (var record in sourceIndex.ReadAllAsync(cancellationToken))
            {
                batch.Add(record);
                if (batch.Count < 10_000) continue;
                await index.AppendRecordsAsync(batch, cancellationToken);
                rows += batch.Count;
                batch.Clear();
                progress?.Report(("index", rows, rows));
            }
            await index.AppendRecordsAsync(batch, cancellationToken);
            rows += batch.Count;
            await index.SetIndexedSizeAsync(await sourceIndex.GetIndexedSizeAsync(cancellationToken), cancellationToken);
        }
        return new ExportSummary(segments.Count, bytes, objects, rows);
    }
}

public sealed record ExportSummary(int Segments, long SegmentBytes, int Objects, long IndexRows);
