using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Host.Tests.Evidence;

/// <summary>A fresh folder of evidence files per test: real .tar.gz bundles, sha256sum files, drill .env files.</summary>
internal sealed class EvidenceFiles : IDisposable
{
    /// <summary>tests/Tollgate.Evidence.Tests/Vectors/wal_recovery_result.env (passes with --max-rto-seconds 10 --max-rpo-events 0).</summary>
    public const string WalSample = """
        # WAL recovery drill evidence (sample): checked by WalRecoveryEvidence.Verify
        # with --max-rto-seconds 10 --max-rpo-events 0 in the original pipeline.
        DRILL_ID=wal-drill-2026-02-11-01
        ENVIRONMENT=staging
        STATUS=PASS

        # Failure injected (process killed) and service recovered (first order accepted after replay).
        STARTED_AT_UTC=2026-02-11T08:30:00Z
        RECOVERED_AT_UTC="2026-02-11T08:30:04.2Z"
        RTO_SECONDS=4.2   # measured by the drill harness

        # Events acknowledged in the WAL before the kill, and present after replay.
        EVENTS_BEFORE=120000
        EVENTS_AFTER=120000
        RPO_EVENTS=0

        """;

    /// <summary>tests/Tollgate.Evidence.Tests/Vectors/deploy_rollback_result.env (passes with --max-rollback-seconds 180).</summary>
    public const string RollbackSample = """
        # Deploy/rollback drill evidence (sample): checked by RollbackDrillEvidence.Verify
        # with --max-rollback-seconds 180 in the original pipeline.
        DRILL_ID=rollback-drill-2026-02-11-01
        ENVIRONMENT=staging
        FROM_VERSION=v0.2.0
        TO_VERSION=v0.1.9
        DEPLOY_SECONDS=95.5
        ROLLBACK_STARTED_AT_UTC=2026-02-11T09:00:00Z
        ROLLBACK_COMPLETED_AT_UTC=2026-02-11T09:01:12Z
        ROLLBACK_SECONDS=72
        HEALTH_CHECK='PASS'

        """;

    public EvidenceFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "tollgate-evidence-cli", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A release bundle <c>tollgate-release-&lt;version&gt;.tar.gz</c> (root VERSION file, a binary, a README) in <paramref name="folder"/>, and its checksum file.</summary>
    public (string Bundle, string Checksum) Release(string version, string folder = "", string readme = "# Tollgate release\n")
    {
        var bundle = PathOf(Path.Combine(folder, $"tollgate-release-{version}.tar.gz"));
        Directory.CreateDirectory(Path.GetDirectoryName(bundle)!);
        using (var file = File.Create(bundle))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "VERSION") { DataStream = Utf8(version + "\n") });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/tollgate") { DataStream = Utf8("#!/bin/sh\necho tollgate\n") });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "README.md") { DataStream = Utf8(readme) });
        }
        var checksum = bundle + ".sha256";
        File.WriteAllText(checksum, $"{Sha256(File.ReadAllBytes(bundle))}  {Path.GetFileName(bundle)}\n");
        return (bundle, checksum);
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
