namespace Tollgate.Ledger.Storage;

/// <summary>
/// A ledger in a folder with the Blob layout (<see cref="LedgerLayout"/>): what <c>tollgate ledger export</c>
/// writes and what an auditor verifies offline. Segments grow by appends guarded by their length, objects are
/// created with <see cref="FileMode.CreateNew"/>; a folder has no block limit.
/// </summary>
public sealed class DirectoryLedgerStore(string root) : LedgerStore
{
    private readonly object creating = new();

    public string Root { get; } = Path.GetFullPath(root);

    public override Task<IReadOnlyList<SegmentInfo>> ListSegmentsAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, LedgerLayout.SegmentPrefix);
        if (!Directory.Exists(folder)) return Task.FromResult<IReadOnlyList<SegmentInfo>>([]);
        var list = new List<SegmentInfo>();
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (LedgerLayout.TryParseSegment(LedgerLayout.SegmentPrefix + Path.GetFileName(path), out var first))
                list.Add(new SegmentInfo(first, new FileInfo(path).Length, 0));
        }
        return Task.FromResult<IReadOnlyList<SegmentInfo>>([.. list.OrderBy(segment => segment.FirstIndex)]);
    }

    public override Task CreateSegmentAsync(long firstIndex, CancellationToken cancellationToken)
    {
        if (!TryCreate(LedgerLayout.Segment(firstIndex), ReadOnlySpan<byte>.Empty))
            throw new LedgerWriteConflictException(LedgerLayout.Segment(firstIndex), "the segment exists");
        return Task.CompletedTask;
    }

    public override async Task<SegmentInfo> AppendBlockAsync(long firstIndex, long expectedLength, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        var name = LedgerLayout.Segment(firstIndex);
        // FileShare.None makes the length check and the write one step against other processes.
        await using var file = new FileStream(PathOf(name), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        if (file.Length != expectedLength) throw new LedgerWriteConflictException(name, $"expected length {expectedLength}, found {file.Length}");
        file.Seek(0, SeekOrigin.End);
        await file.WriteAsync(block, cancellationToken);
        file.Flush(flushToDisk: true);
        return new SegmentInfo(firstIndex, file.Length, 0);
    }

    public override async Task<byte[]> ReadSegmentAsync(long firstIndex, long offset, long? count, CancellationToken cancellationToken)
    {
        var path = PathOf(LedgerLayout.Segment(firstIndex));
        if (!File.Exists(path)) throw new LedgerException(LedgerReason.NotFound, $"No segment {LedgerLayout.Segment(firstIndex)}.");
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var start = Math.Min(offset, file.Length);
        var buffer = new byte[Math.Min(count ?? long.MaxValue, file.Length - start)];
        file.Seek(start, SeekOrigin.Begin);
        await file.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public override Task<bool> TryCreateObjectAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Task.FromResult(TryCreate(name, content.Span));

    public override async Task<byte[]?> ReadObjectAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public override Task<IReadOnlyList<string>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(PathOf(prefix + "x"))!;
        if (!Directory.Exists(folder)) return Task.FromResult<IReadOnlyList<string>>([]);
        var names = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && !name.EndsWith(".partial", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>([.. names]);
    }

    /// <summary>
    /// Writes to a temporary file, then moves it into place without overwriting, so no reader sees half an object.
    /// A no-overwrite move is a check and then a rename where the file system has no hard links, so creations are
    /// serialised in this process; two processes creating one object in one folder at once are not supported.
    /// </summary>
    private bool TryCreate(string name, ReadOnlySpan<byte> content)
    {
        var path = PathOf(name);
        lock (creating) return TryCreateAt(path, content);
    }

    private static bool TryCreateAt(string path, ReadOnlySpan<byte> content)
    {
        if (File.Exists(path)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    private string PathOf(string name)
    {
        var path = Path.GetFullPath(Path.Combine(Root, name));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new LedgerException(LedgerReason.BadRange, $"'{name}' is outside the ledger folder.");
        return path;
    }
}
