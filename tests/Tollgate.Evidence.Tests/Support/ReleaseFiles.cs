namespace Tollgate.Evidence.Tests;

/// <summary>A verified release on disk: bundle, checksum, summary JSON; the usual starting point.</summary>
public sealed record ReleaseFiles(string Bundle, string Checksum, string SummaryJson, ReleaseAuditSummary Summary)
{
    public static readonly DateTimeOffset GeneratedAt = new(2026, 2, 11, 8, 30, 0, TimeSpan.Zero);

    public static ReleaseFiles Create(TempDir dir, string version = "v0.2.0", BundleBuilder? content = null, string? name = null)
    {
        var bundle = (content ?? BundleBuilder.Release(version)).WriteTo(dir.File(name ?? $"tollgate-release-{version}.tar.gz"));
        var checksum = BundleBuilder.WriteChecksum(bundle);
        var created = ReleaseAuditSummary.Create(bundle, checksum, version, GeneratedAt);
        Assert.True(created.Check.Passed, created.Check.Summary);
        var json = dir.Write($"release_audit_summary-{version}.json", created.Summary!.ToJson());
        return new ReleaseFiles(bundle, checksum, json, created.Summary);
    }
}
