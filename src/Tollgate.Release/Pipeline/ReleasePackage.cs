using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Release.Pipeline;

/// <summary>One file of a package, as its manifest line records it.</summary>
public sealed record PackagedMember(string Name, string Sha256, long SizeBytes);

/// <summary>
/// The Package stage (seed 000 §6.1 step 3) in seed 003's shape: a <c>tollgate-release-&lt;version&gt;.tar.gz</c>
/// bundle, its one-line sha256sum checksum file (what <c>tollgate evidence release-verify</c> and
/// <c>Tollgate.Evidence.ReleaseBundleCheck</c> read), and inside the bundle a root <c>VERSION</c> file and a
/// <c>SHA256SUMS</c> manifest listing every other member.
/// </summary>
/// <remarks>
/// <para>The manifest is <c>sha256sum</c> text: one <c>&lt;64 lowercase hex&gt;  &lt;name&gt;\n</c> line per member
/// (VERSION included, SHA256SUMS itself not), sorted by name in ordinal (C locale) order, LF only, so
/// <c>sha256sum -c SHA256SUMS</c> checks an extracted bundle. It is a pure function of the member names and bytes:
/// the same members give the same manifest, and the same <see cref="ManifestSha256"/>, on any machine. That hash is
/// what the Sign/Hash stage signs: unlike the bundle's hash it does not depend on the gzip implementation.</para>
/// <para>The tar is deterministic too (ustar, entries sorted by name, mode 0644, uid/gid 0, no owner names,
/// modification time 1970-01-01, no directory entries); its gzip bytes are stable for one runtime's zlib.</para>
/// <para>Member names: 1-100 characters, <c>/</c>-separated segments each starting with a letter or digit and
/// holding only letters, digits, <c>.</c>, <c>_</c> and <c>-</c> (so no absolute path, no <c>..</c>, no hidden or
/// option-like names); unique ignoring case (a case-insensitive file system would merge them); not a directory of
/// another member; not <c>VERSION</c> or <c>SHA256SUMS</c>.</para>
/// </remarks>
public sealed partial class ReleasePackage
{
    public const string ManifestName = "SHA256SUMS";
    public const string VersionFileName = "VERSION";
    public const string BundlePrefix = "tollgate-release-";

    /// <summary>The largest member packaged: the CI report is at most 16 MiB and the rest are small JSON.</summary>
    public const long MaxMemberBytes = 64 * 1024 * 1024;

    /// <summary>A ustar name field holds 100 bytes; longer names would need the prefix split or PAX headers.</summary>
    public const int MaxNameLength = 100;

    private const UnixFileMode MemberMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private ReleasePackage(string version, byte[] bundle, string manifest, IReadOnlyList<PackagedMember> members)
    {
        Version = version;
        BundleName = $"{BundlePrefix}{version}.tar.gz";
        Bundle = bundle;
        BundleSha256 = Convert.ToHexStringLower(SHA256.HashData(bundle));
        ChecksumFileName = BundleName + ".sha256";
        ChecksumFile = $"{BundleSha256}  {BundleName}\n";
        Manifest = manifest;
        ManifestBytes = Encoding.UTF8.GetBytes(manifest);
        ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(ManifestBytes.Span));
        Members = members;
    }

    public string Version { get; }

    /// <summary><c>tollgate-release-&lt;version&gt;.tar.gz</c>: the name carries the version as seed 003's checks require.</summary>
    public string BundleName { get; }

    /// <summary>The .tar.gz bytes.</summary>
    public ReadOnlyMemory<byte> Bundle { get; }

    public string BundleSha256 { get; }

    /// <summary><c>&lt;bundle name&gt;.sha256</c>.</summary>
    public string ChecksumFileName { get; }

    /// <summary>The bundle's checksum file: exactly one line, <c>&lt;bundle sha256&gt;  &lt;bundle name&gt;\n</c>.</summary>
    public string ChecksumFile { get; }

    /// <summary>The <c>SHA256SUMS</c> text (see the remarks).</summary>
    public string Manifest { get; }

    /// <summary>The manifest's UTF-8 bytes, as stored in the bundle and hashed.</summary>
    public ReadOnlyMemory<byte> ManifestBytes { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="ManifestBytes"/>: the release's content hash, and what is signed.</summary>
    public string ManifestSha256 { get; }

    /// <summary>Every member the manifest lists (VERSION included), in manifest order.</summary>
    public IReadOnlyList<PackagedMember> Members { get; }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>
    /// Packages <paramref name="members"/> as release <paramref name="version"/>. Every rule is checked, so a FAIL
    /// lists every problem: <see cref="PipelineReasons.PackageInvalid"/> for the version, a name, a duplicate, a
    /// member over <see cref="MaxMemberBytes"/> or no member at all; <see cref="PipelineReasons.PackageHashMismatch"/>
    /// for content that does not hash to its <see cref="ReleaseMember.ExpectedSha256"/>. Stream members are read here.
    /// </summary>
    /// <param name="version">The release version, as seed 003's bundle checks accept it (<c>v0.2.0</c>, <c>2026.02.11-rc.1</c>): a letter or digit, then letters, digits, <c>. _ + -</c>, at most 128 characters.</param>
    public static PackageStageResult Create(string version, IEnumerable<ReleaseMember> members)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(members);
        var findings = new StageFindings();
        if (!VersionPattern().IsMatch(version))
        {
            findings.Fail(PipelineReasons.PackageInvalid, $"version '{StageText.Shorten(version)}' is not a letter or digit followed by at most 127 letters, digits, '.', '_', '+' or '-'");
        }

        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { VersionFileName, ManifestName };
        var given = 0;
        foreach (var member in members)
        {
            ArgumentNullException.ThrowIfNull(member, nameof(members));
            given++;
            if (Add(member, files, taken, findings) is { } content)
            {
                files.Add(member.Name, content);
            }
        }

        if (given == 0)
        {
            findings.Fail(PipelineReasons.PackageInvalid, "a release package needs at least one member");
        }

        CheckDirectoryClashes(files.Keys, findings);
        if (findings.HasFailures)
        {
            return new PackageStageResult(findings.Verdict, findings.Codes, findings.Problems, version, null);
        }

        files.Add(VersionFileName, Encoding.ASCII.GetBytes(version + "\n"));
        return new PackageStageResult(findings.Verdict, findings.Codes, findings.Problems, version, Build(version, files));
    }

    /// <summary>Checks one member's name and content; its content when both are fine, else null (the problems recorded).</summary>
    private static byte[]? Add(ReleaseMember member, SortedDictionary<string, byte[]> files, HashSet<string> taken, StageFindings findings)
    {
        var name = member.Name;
        var quoted = StageText.Shorten(name);
        if (name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            findings.Fail(PipelineReasons.PackageInvalid,
                $"member name '{quoted}' is not 1-{MaxNameLength} characters of '/'-separated segments that start with a letter or digit and hold only letters, digits, '.', '_' and '-'");
            return null;
        }

        if (!taken.Add(name))
        {
            var why = name.Equals(VersionFileName, StringComparison.OrdinalIgnoreCase) || name.Equals(ManifestName, StringComparison.OrdinalIgnoreCase)
                ? "is reserved for the file the package writes itself"
                : "is given twice (names are compared ignoring case)";
            findings.Fail(PipelineReasons.PackageInvalid, $"member name '{quoted}' {why}");
            return null;
        }

        var content = member.ReadContent(MaxMemberBytes);
        if (content is null)
        {
            findings.Fail(PipelineReasons.PackageInvalid, $"member '{quoted}' is larger than {MaxMemberBytes} bytes");
            return null;
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (member.ExpectedSha256 is { } expected && expected != sha256)
        {
            findings.Fail(PipelineReasons.PackageHashMismatch, $"member '{quoted}' hashes to {sha256}, an earlier stage recorded {expected}");
            return null;
        }

        return content;
    }

    /// <summary>A member named like another member's directory cannot be extracted beside it.</summary>
    private static void CheckDirectoryClashes(IEnumerable<string> names, StageFindings findings)
    {
        var directories = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
            {
                directories.Add(name[..slash]);
            }
        }

        foreach (var name in names.Where(directories.Contains))
        {
            findings.Fail(PipelineReasons.PackageInvalid, $"member '{StageText.Shorten(name)}' is also the directory of another member");
        }
    }

    private static ReleasePackage Build(string version, SortedDictionary<string, byte[]> files)
    {
        var members = files.Select(file => new PackagedMember(file.Key, Convert.ToHexStringLower(SHA256.HashData(file.Value)), file.Value.LongLength)).ToList();
        var manifest = string.Concat(members.Select(member => $"{member.Sha256}  {member.Name}\n"));

        var entries = new SortedDictionary<string, byte[]>(files, StringComparer.Ordinal) { [ManifestName] = Encoding.UTF8.GetBytes(manifest) };
        using var bundle = new MemoryStream();
        using (var gzip = new GZipStream(bundle, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = MemberMode,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    Uid = 0,
                    Gid = 0,
                    UserName = "",
                    GroupName = "",
                    DataStream = new MemoryStream(content, writable: false),
                };
                tar.WriteEntry(entry);
            }
        }

        return new ReleasePackage(version, bundle.ToArray(), manifest, members);
    }
}
