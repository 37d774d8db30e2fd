using System.IO.Compression;
using System.Text.Json;
using Tollgate.Markets.Ingest;

namespace Tollgate.Markets.Capture;

/// <summary>
/// Writes a capture (<see cref="CaptureFormat"/>) to a stream: a file, or an append blob (each flush is one append
/// block holding one complete gzip member). Lines are buffered and flushed every <see cref="FlushEvery"/> frames or
/// on <see cref="FlushAsync"/>; thread-safe, since every ingest partition writes to the same capture.
/// </summary>
public sealed class CaptureWriter : IAsyncDisposable
{
    public const int FlushEvery = 1000;
    private readonly Stream target;
    private readonly MemoryStream lines = new();
    private readonly Utf8JsonWriter json;
    private readonly SemaphoreSlim gate = new(1, 1);
    private int pending;

    public CaptureWriter(Stream target, CaptureHeader header)
    {
        this.target = target;
        json = new Utf8JsonWriter(lines, new JsonWriterOptions { SkipValidation = true });
        CaptureFormat.WriteHeader(json, header);
        EndLine();
        pending = 1;
    }

    public long Frames { get; private set; }

    public async ValueTask WriteAsync(string partition, IngestFrame frame, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            CaptureFormat.WriteFrame(json, partition, frame);
            EndLine();
            Frames++;
            if (++pending >= FlushEvery) await FlushLockedAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try { await FlushLockedAsync(cancellationToken); }
        finally { gate.Release(); }
    }

    private void EndLine()
    {
        json.Flush();
        lines.WriteByte((byte)'\n');
        json.Reset();
    }

    private async Task FlushLockedAsync(CancellationToken cancellationToken)
    {
        if (pending == 0) return;
        using var member = new MemoryStream();
        await using (var gzip = new GZipStream(member, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(lines.GetBuffer().AsMemory(0, (int)lines.Length), cancellationToken);
        await target.WriteAsync(member.GetBuffer().AsMemory(0, (int)member.Length), cancellationToken);
        await target.FlushAsync(cancellationToken);
        lines.SetLength(0);
        pending = 0;
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(CancellationToken.None);
        await json.DisposeAsync();
        await target.DisposeAsync();
        gate.Dispose();
    }
}
