using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Tollgate.Evidence;

/// <summary>
/// Hashes a bundle and lists its archive in one streaming pass (never the whole file in memory),
/// recording bundle-level failures (missing, unreadable, not an archive, unsafe or no members,
/// bad VERSION file) in the result. Comparisons against a checksum or a version are the callers'.
/// </summary>
internal static class BundleInspector
{
    // "v0.2.0\n" is 7 bytes; a VERSION file of hundreds of bytes is not a version.
    private const int MaxVersionFileBytes = 128;

    public static BundleInspection? Inspect(string bundlePath, EvidenceResultBuilder result)
    {
        var fileName = Path.GetFileName(bundlePath);
        var stem = ReleaseVersion.ArchiveStem(fileName);
        if (stem is null)
        {
            result.Fail(EvidenceReasonCodes.BundleFormat, $"{fileName} does not end in .tar.gz or .tgz");
        }

        FileStream file;
        try
        {
            file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            result.Fail(EvidenceReasonCodes.BundleMissing, $"{bundlePath} does not exist");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            result.Fail(EvidenceReasonCodes.BundleUnreadable, $"{bundlePath} could not be opened: {e.Message}");
            return null;
        }

        using (file)
        using (var hashing = new HashingReadStream(file))
        {
            var listing = stem is null ? null : List(hashing, fileName, result);
            try
            {
                hashing.Drain();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result.Fail(EvidenceReasonCodes.BundleUnreadable, $"{bundlePath} could not be read: {e.Message}");
                return null;
            }

            return new BundleInspection(
                fileName,
                stem,
                hashing.HexDigest(),
                hashing.BytesRead,
                listing?.Members,
                listing?.Bytes,
                listing?.VersionFile ?? VersionFileState.Unknown,
                listing?.VersionContent);
        }
    }

    private sealed record Listing(int Members, long Bytes, VersionFileState VersionFile, string? VersionContent);

    private static Listing? List(Stream source, string fileName, EvidenceResultBuilder result)
    {
        var members = 0;
        var regularFiles = 0;
        long bytes = 0;
        var versionFile = VersionFileState.Absent;
        string? versionContent = null;
        var unsafeReported = false;
        try
        {
            using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
            using var tar = new TarReader(gzip, leaveOpen: true);
            while (tar.GetNextEntry(copyData: false) is { } entry)
            {
                members++;
                if (!unsafeReported && !StaysInside(entry))
                {
                    unsafeReported = true;
                    result.Fail(EvidenceReasonCodes.BundleUnsafeMember, $"archive member '{entry.Name}' would land or point outside the extraction directory");
                    result.Fact("unsafe_member", entry.Name);
                }

                var isRegular = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
                if (isRegular)
                {
                    regularFiles++;
                    bytes = checked(bytes + entry.Length);
                }

                if (entry.Name is "VERSION" or "./VERSION")
                {
                    (versionFile, versionContent) = versionFile == VersionFileState.Absent && isRegular
                        ? ReadVersionFile(entry)
                        : (VersionFileState.Invalid, null);
                    if (versionFile == VersionFileState.Invalid)
                    {
                        result.Fail(EvidenceReasonCodes.VersionFileInvalid, "the root VERSION file is empty, too long, not one line of UTF-8, not a regular file, or present twice");
                    }
                }
            }

            // Reading the decompressed stream to its end makes the gzip trailer's CRC-32 checked.
            gzip.CopyTo(Stream.Null);
        }
        catch (Exception e) when (IsArchiveFault(e))
        {
            result.Fail(EvidenceReasonCodes.BundleUnreadable, $"{fileName} is not a readable .tar.gz archive: {e.Message}");
            return null;
        }

        if (regularFiles == 0)
        {
            result.Fail(EvidenceReasonCodes.BundleEmpty, $"{fileName} holds no regular file");
        }

        return new Listing(members, bytes, versionFile, versionContent);
    }

    private static (VersionFileState, string?) ReadVersionFile(TarEntry entry)
    {
        if (entry.DataStream is null || entry.Length > MaxVersionFileBytes)
        {
            return (VersionFileState.Invalid, null);
        }

        using var buffer = new MemoryStream();
        entry.DataStream.CopyTo(buffer);
        if (!FileText.TryDecode(buffer.ToArray(), out var text))
        {
            return (VersionFileState.Invalid, null);
        }

        // One line; a trailing newline (what `echo v0.2.0 > VERSION` writes) is not part of it.
        var version = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        return ReleaseVersion.IsValid(version) ? (VersionFileState.Valid, version) : (VersionFileState.Invalid, null);
    }

    /// <summary>
    /// True when extracting the entry writes inside the target directory and, for a link, the link
    /// resolves inside it too. A symlink resolves from its own directory, a hard link from the root.
    /// </summary>
    private static bool StaysInside(TarEntry entry)
    {
        if (Depth(entry.Name, baseDepth: 0) is not { } depth)
        {
            return false;
        }

        return entry.EntryType switch
        {
            TarEntryType.SymbolicLink => Depth(entry.LinkName, baseDepth: Math.Max(depth - 1, 0)) is not null,
            TarEntryType.HardLink => Depth(entry.LinkName, baseDepth: 0) is not null,
            _ => true,
        };
    }

    /// <summary>How many directories deep <paramref name="path"/> ends, or null when it is absolute or climbs above the root.</summary>
    private static int? Depth(string path, int baseDepth)
    {
        if (path.Length == 0 || path[0] is '/' or '\\' || (path.Length >= 2 && path[1] == ':'))
        {
            return null;
        }

        var depth = baseDepth;
        foreach (var segment in path.Split('/', '\\'))
        {
            depth += segment switch
            {
                "" or "." => 0,
                ".." => -1,
                _ => 1,
            };
            if (depth < 0)
            {
                return null;
            }
        }

        return depth;
    }

    private static bool IsArchiveFault(Exception e) =>
        e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException
            or NotSupportedException or OverflowException or IOException or UnauthorizedAccessException;
}
