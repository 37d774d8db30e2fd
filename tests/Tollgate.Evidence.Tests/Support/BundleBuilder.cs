using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Evidence.Tests;

/// <summary>Writes real .tar.gz bundles (System.Formats.Tar) and their sha256sum files.</summary>
public sealed class BundleBuilder
{
    private readonly List<Action<TarWriter>> _entries = [];

    public static BundleBuilder Release(string version) => new BundleBuilder()
        .File("VERSION", version + "\n")
        .Directory("bin/")
        .File("bin/tollgate", "#!/bin/sh\necho tollgate\n")
        .File("README.md", "# Tollgate release\n");

    public static BundleBuilder Empty() => new();

    public BundleBuilder File(string name, string content, TarEntryType type = TarEntryType.RegularFile)
    {
        _entries.Add(writer =>
        {
            var entry = new PaxTarEntry(type, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            writer.WriteEntry(entry);
        });
        return this;
    }

    public BundleBuilder Bytes(string name, byte[] content)
    {
        _entries.Add(writer => writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) }));
        return this;
    }

    public BundleBuilder Directory(string name)
    {
        _entries.Add(writer => writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name)));
        return this;
    }

    public BundleBuilder Link(string name, string target, TarEntryType type = TarEntryType.SymbolicLink)
    {
        _entries.Add(writer => writer.WriteEntry(new PaxTarEntry(type, name) { LinkName = target }));
        return this;
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var write in _entries)
            {
                write(tar);
            }
        }

        return buffer.ToArray();
    }

    public string WriteTo(string path)
    {
        System.IO.File.WriteAllBytes(path, ToBytes());
        return path;
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    /// <summary>Writes "&lt;sha&gt;  &lt;name&gt;\n" next to the bundle, as sha256sum does.</summary>
    public static string WriteChecksum(string bundlePath, string? recordedName = null, string? sha = null, string separator = "  ")
    {
        var path = bundlePath + ".sha256";
        System.IO.File.WriteAllText(path, $"{sha ?? Sha256(bundlePath)}{separator}{recordedName ?? System.IO.Path.GetFileName(bundlePath)}\n");
        return path;
    }
}
