using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Ledger.Notes;

/// <summary>
/// A signing key kept in a file, for development and tests: created on first use, then reused. Production keys
/// belong in a key store, not on disk.
/// </summary>
public static class DevSigningKey
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Loads the PKCS#8 PEM P-256 key at path, or creates it (directory too) on first use: written to a temp file
    /// then moved with no overwrite so two processes racing both end up with the same key; file mode 0600 on Unix.
    /// </summary>
    /// <exception cref="NoteFormatException">The file exists but does not hold a PKCS#8 P-256 key, or the key name is invalid.</exception>
    /// <exception cref="IOException">The file or its directory cannot be read or written.</exception>
    public static EcdsaNoteSigner LoadOrCreate(string path, string keyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NoteText.CheckKeyName(keyName);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) Create(fullPath);

        // Whoever created the file, its content is the key: a process that lost the race reads the winner's.
        return EcdsaNoteSigner.FromPkcs8Pem(keyName, File.ReadAllText(fullPath));
    }

    private static void Create(string fullPath)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerOnlyDirectory);

        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            WriteNewKey(temp);
            try
            {
                // No overwrite: with two creators racing, the first move wins and the second finds the file there.
                File.Move(temp, fullPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(fullPath))
            {
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void WriteNewKey(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = key.ExportPkcs8PrivateKey();
        var pem = PemEncoding.Write("PRIVATE KEY", der);
        var bytes = Encoding.ASCII.GetBytes(pem);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
            using (var stream = new FileStream(path, options))
            {
                stream.Write(bytes);
                stream.Write("\n"u8);
                stream.Flush(flushToDisk: true);
            }
            // The create mode is filtered by the umask; set it outright so the file is exactly 0600.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnlyFile);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }
    }
}
