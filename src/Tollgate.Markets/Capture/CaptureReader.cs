using System.IO.Compression;

namespace Tollgate.Markets.Capture;

/// <summary>Reads a capture: its header, then its frames in the order they were written.</summary>
public sealed class CaptureReader : IDisposable
{
    private readonly Stream source;
    private readonly GZipStream gzip;
    private byte[] buffer = new byte[1 << 16];
    private int start, end;
    private long lineNumber;

    /// <exception cref="CaptureFormatException">The stream is not a capture (not gzip, or no header line).</exception>
    public CaptureReader(Stream source)
    {
        this.source = source;
        gzip = new GZipStream(source, CompressionMode.Decompress);
        try
        {
            Header = NextLine(out var line) ? CaptureFormat.ReadHeader(line) : throw new CaptureFormatException("MKT-CAPTURE-EMPTY", "the capture holds no header line");
        }
        catch (InvalidDataException e)
        {
            throw new CaptureFormatException("MKT-CAPTURE-GZIP", $"not a gzip capture: {e.Message}");
        }
    }

    public static CaptureReader Open(string path)
    {
        if (!File.Exists(path)) throw new CaptureFormatException("MKT-CAPTURE-NOT-FOUND", $"no capture at '{path}'");
        // Shared for writing: a capture the host is still writing can be read up to its last flush.
        return new CaptureReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
    }

    public CaptureHeader Header { get; }

    /// <summary>Compressed bytes read so far and in all, for progress (0 and null when the source cannot tell).</summary>
    public long BytesRead => source.CanSeek ? source.Position : 0;
    public long? Length => source.CanSeek ? source.Length : null;

    /// <summary>The frames, one at a time. A truncated last gzip member (a capture cut off by a crash) ends the sequence with an error.</summary>
    /// <exception cref="CaptureFormatException">A line is not a frame line, or the gzip data is damaged.</exception>
    public IEnumerable<CapturedFrame> Frames()
    {
        while (true)
        {
            ReadOnlySpan<byte> line;
            try
            {
                if (!NextLine(out line)) yield break;
            }
            catch (InvalidDataException e)
            {
                throw new CaptureFormatException("MKT-CAPTURE-GZIP", $"the gzip data is damaged after line {lineNumber}: {e.Message}");
            }
            if (line.IsEmpty) continue;
            yield return CaptureFormat.ReadFrame(line, lineNumber);
        }
    }

    private bool NextLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = buffer.AsSpan(start, newline);
                start += newline + 1;
                lineNumber++;
                return true;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = gzip.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                line = buffer.AsSpan(0, end);
                var any = end > 0;
                start = end = 0;
                if (any) lineNumber++;
                return any;
            }
            end += read;
        }
    }

    public void Dispose()
    {
        gzip.Dispose();
        source.Dispose();
    }
}
