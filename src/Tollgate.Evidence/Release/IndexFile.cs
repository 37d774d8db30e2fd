namespace Tollgate.Evidence;

/// <summary>
/// File access for the audit index. Readers take a shared lock and the appender an exclusive one
/// (.NET maps FileShare.None to flock(LOCK_EX) on Unix), so a reader never sees a line half written
/// by a cooperating appender. A writer that ignores the lock still cannot overwrite anything: the
/// appender writes through O_APPEND.
/// </summary>
internal static class IndexFile
{
    // Years of releases fit in far less; a bigger file is not an index this library wrote.
    public const long MaxBytes = 64L * 1024 * 1024;

    public static IndexAccess TryRead(string path, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxBytes)
            {
                error = $"index is {stream.Length} bytes, more than the {MaxBytes} allowed";
                return IndexAccess.Failed;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
            return IndexAccess.Done;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"{path} does not exist";
            return IndexAccess.Missing;
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            error = e.Message;
            return IndexAccess.Busy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{path} could not be read: {e.Message}";
            return IndexAccess.Failed;
        }
    }

    /// <summary>
    /// Appends <paramref name="line"/> (newline included) in one write and forces it to disk, but
    /// only if the file still has <paramref name="expectedLength"/> bytes, i.e. nobody appended
    /// since it was read and checked. Returns Busy for "someone else got there first; read again".
    /// </summary>
    public static IndexAccess TryAppend(string path, long expectedLength, byte[] line, out string error)
    {
        error = "";
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            });
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            error = e.Message;
            return IndexAccess.Busy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{path} could not be opened for append: {e.Message}";
            return IndexAccess.Failed;
        }

        using (stream)
        {
            try
            {
                if (stream.Length != expectedLength)
                {
                    error = "the index changed after it was read";
                    return IndexAccess.Busy;
                }

                stream.Write(line);
                stream.Flush(flushToDisk: true);
                return IndexAccess.Done;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                error = $"{path} could not be appended to: {e.Message}";
                return IndexAccess.Failed;
            }
        }
    }

    // flock's EWOULDBLOCK surfaces as a bare IOException whose HResult is the errno (11 on Linux,
    // 35 on macOS); Windows reports sharing (0x20) or lock (0x21) violations.
    private static bool IsLockConflict(IOException e) =>
        e.GetType() == typeof(IOException)
        && e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);
}
