using System.Text;

namespace Tollgate.Evidence;

/// <summary>
/// Reads small text evidence files without letting I/O exceptions escape: a missing or unreadable
/// file is a verdict, not a crash. Strict UTF-8 so that mangled bytes are noticed, not replaced.
/// </summary>
internal static class FileText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static FileReadFailure TryReadBytes(string path, long maxBytes, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        try
        {
            // FileShare.Read takes a shared lock, so a concurrent appender's exclusive lock keeps
            // half-written lines out of what we read.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > maxBytes)
            {
                error = $"{Path.GetFileName(path)} is {stream.Length} bytes, more than the {maxBytes} allowed";
                return FileReadFailure.Unreadable;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
            return FileReadFailure.None;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"{path} does not exist";
            return FileReadFailure.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{path} could not be read: {e.Message}";
            return FileReadFailure.Unreadable;
        }
    }

    public static bool TryDecode(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text[1..];
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
