namespace Tollgate.Ledger.Storage;

/// <summary>A ledger store in memory, for tests and benchmarks; same conditions as Blob storage.</summary>
/// <param name="maxBlocksPerSegment">Small values let tests exercise segment roll-over cheaply.</param>
public sealed class InMemoryLedgerStore(int maxBlocksPerSegment = 50_000) : LedgerStore
{
    private readonly object gate = new();
    private readonly SortedDictionary<long, Segment> segments = [];
    private readonly SortedDictionary<string, byte[]> objects = new(StringComparer.Ordinal);

    public override int MaxBlocksPerSegment => maxBlocksPerSegment;

    /// <summary>Runs after a write has been applied; throwing from it models a write whose outcome the caller never learns.</summary>
    public Action<string>? AfterWrite { get; set; }

    public override Task<IReadOnlyList<SegmentInfo>> ListSegmentsAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<SegmentInfo>>([.. segments.Select(pair => pair.Value.Info(pair.Key))]);
    }

    public override Task CreateSegmentAsync(long firstIndex, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!segments.TryAdd(firstIndex, new Segment()))
                throw new LedgerWriteConflictException(LedgerLayout.Segment(firstIndex), "the segment exists");
        }
        AfterWrite?.Invoke(LedgerLayout.Segment(firstIndex));
        return Task.CompletedTask;
    }

    public override Task<SegmentInfo> AppendBlockAsync(long firstIndex, long expectedLength, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        SegmentInfo info;
        lock (gate)
        {
            var segment = segments.GetValueOrDefault(firstIndex)
                ?? throw new LedgerException(LedgerReason.NotFound, $"No segment {LedgerLayout.Segment(firstIndex)}.");
            if (segment.Bytes.Length != expectedLength)
                throw new LedgerWriteConflictException(LedgerLayout.Segment(firstIndex), $"expected length {expectedLength}, found {segment.Bytes.Length}");
            if (segment.Blocks >= maxBlocksPerSegment)
                throw new LedgerWriteConflictException(LedgerLayout.Segment(firstIndex), "the segment has its maximum number of blocks");
            segment.Bytes.Write(block.Span);
            segment.Blocks++;
            info = segment.Info(firstIndex);
        }
        AfterWrite?.Invoke(LedgerLayout.Segment(firstIndex));
        return Task.FromResult(info);
    }

    public override Task<byte[]> ReadSegmentAsync(long firstIndex, long offset, long? count, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var segment = segments.GetValueOrDefault(firstIndex)
                ?? throw new LedgerException(LedgerReason.NotFound, $"No segment {LedgerLayout.Segment(firstIndex)}.");
            var bytes = segment.Bytes.GetBuffer().AsSpan(0, (int)segment.Bytes.Length);
            var start = (int)Math.Min(offset, bytes.Length);
            var length = (int)Math.Min(count ?? long.MaxValue, bytes.Length - start);
            return Task.FromResult(bytes.Slice(start, length).ToArray());
        }
    }

    public override Task<bool> TryCreateObjectAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        bool created;
        lock (gate) created = objects.TryAdd(name, content.ToArray());
        if (created) AfterWrite?.Invoke(name);
        return Task.FromResult(created);
    }

    public override Task<byte[]?> ReadObjectAsync(string name, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(objects.GetValueOrDefault(name));
    }

    public override Task<IReadOnlyList<string>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<string>>([.. objects.Keys.Where(name => name.StartsWith(prefix, StringComparison.Ordinal))]);
    }

    /// <summary>Test access: replaces stored bytes, as someone with raw storage access could.</summary>
    internal void Tamper(string name, Func<byte[], byte[]> change)
    {
        lock (gate)
        {
            if (LedgerLayout.TryParseSegment(name, out var first))
            {
                var segment = segments[first];
                var changed = change(segment.Bytes.ToArray());
                segment.Bytes.SetLength(0);
                segment.Bytes.Write(changed);
            }
            else objects[name] = change(objects[name]);
        }
    }

    internal void Delete(string name)
    {
        lock (gate)
        {
            if (LedgerLayout.TryParseSegment(name, out var first)) segments.Remove(first);
            else objects.Remove(name);
        }
    }

    private sealed class Segment
    {
        public MemoryStream Bytes { get; } = new();
        public int Blocks { get; set; }
        public SegmentInfo Info(long firstIndex) => new(firstIndex, Bytes.Length, Blocks);
    }
}
