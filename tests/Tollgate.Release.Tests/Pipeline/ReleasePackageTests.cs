using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Tollgate.Evidence;
using Tollgate.Release.Pipeline;

namespace Tollgate.Release.Tests.Pipeline;

public sealed class ReleasePackageTests
{
    private const string Version = "v1.4.0";

    private static readonly ReleaseProvenance Provenance = new(
        "16791c9e2b1f0a3c4d5e6f708192a3b4c5d6e7f8", "13000123456-1", "https://github.com/example/tollgate/actions/runs/13000123456", "github-actions/release.yml");

    private static ReleaseMember[] Members() =>
    [
        ReleaseMember.FromBytes("version-map.json", PipelineData.Utf8("""{"code":"16791c9","config":"cfg-2026-02-11","model":"m-7","policy":"p-3"}""")),
        ReleaseMember.FromBytes("config/rules.json", PipelineData.Utf8("""{"rules":[{"id":"spread-max","value":"0.0015"}]}""")),
        ReleaseMember.FromBytes("ci/test-report.trx", PipelineData.Read("dotnet-passed.trx")),
        Provenance.ToMember(),
    ];

    private static ReleasePackage Package(IEnumerable<ReleaseMember>? members = null)
    {
        var result = ReleasePackage.Create(Version, members ?? Members());
        Assert.Equal(StageVerdict.Pass, result.Verdict);
        return result.Package!;
    }

    [Fact]
    public void The_manifest_is_sorted_sha256sum_text_over_every_member_and_the_version_file()
    {
        var package = Package();

        var lines = package.Manifest.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain('\r', package.Manifest);
        // Ordinal (C locale) order: upper case before lower case.
        Assert.Equal(["VERSION", "ci/test-report.trx", "config/rules.json", "provenance.json", "version-map.json"], lines[..^1].Select(line => line[66..]));
        Assert.All(lines[..^1], line => Assert.Matches("^[0-9a-f]{64}  [^ ]+$", line));
        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Version + "\n")))}  VERSION", lines[0]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package.ManifestBytes.Span)), package.ManifestSha256);
        Assert.Equal(package.Members.Select(m => $"{m.Sha256}  {m.Name}\n"), lines[..^1].Select(line => line + "\n"));
    }

    [Fact]
    public void The_same_members_in_any_order_give_the_same_bytes()
    {
        var forward = Package();
        var backward = Package(Members().Reverse());

        Assert.Equal(forward.Manifest, backward.Manifest);
        Assert.Equal(forward.ManifestSha256, backward.ManifestSha256);
        Assert.Equal(forward.Bundle.ToArray(), backward.Bundle.ToArray());
        Assert.Equal(forward.ChecksumFile, backward.ChecksumFile);
    }

    [Fact]
    public void Different_content_gives_a_different_manifest()
    {
        var changed = Members();
        changed[1] = ReleaseMember.FromBytes("config/rules.json", PipelineData.Utf8("""{"rules":[{"id":"spread-max","value":"0.0016"}]}"""));

        Assert.NotEqual(Package().ManifestSha256, Package(changed).ManifestSha256);
    }

    [Fact]
    public void The_bundle_passes_seed_003s_release_verify_and_audit_summary()
    {
        var package = Package();
        using var scratch = new ScratchDirectory();
        var bundle = scratch.Write(package.BundleName, package.Bundle.Span);
        var checksum = scratch.Write(package.ChecksumFileName, PipelineData.Utf8(package.ChecksumFile));

        var verified = ReleaseBundleCheck.Verify(bundle, checksum, Version);
        var summary = ReleaseAuditSummary.Create(bundle, checksum, expectVersion: null, DateTimeOffset.UnixEpoch);

        Assert.True(verified.Passed, string.Join("; ", verified.ReasonCodes));
        Assert.Equal(package.BundleSha256, verified.Facts["bundle_sha256"]);
        Assert.Equal(Version, verified.Facts["version_file"]);
        Assert.Equal("6", verified.Facts["member_count"]);
        Assert.True(summary.Check.Passed);
        Assert.Equal(package.BundleSha256, summary.Summary!.BundleSha256);
        Assert.Equal($"tollgate-release-{Version}.tar.gz", package.BundleName);
        Assert.Equal($"{package.BundleSha256}  {package.BundleName}\n", package.ChecksumFile);
    }

    [Fact]
    public void Release_verify_catches_a_bundle_changed_after_packaging()
    {
        var package = Package();
        var tampered = package.Bundle.ToArray();
        tampered[^10] ^= 0x01;
        using var scratch = new ScratchDirectory();
        var bundle = scratch.Write(package.BundleName, tampered);
        var checksum = scratch.Write(package.ChecksumFileName, PipelineData.Utf8(package.ChecksumFile));

        Assert.Contains(EvidenceReasonCodes.ChecksumMismatch, ReleaseBundleCheck.Verify(bundle, checksum, Version).ReasonCodes);
    }

    [Fact]
    public void The_extracted_bundle_matches_its_manifest_and_has_fixed_metadata()
    {
        var package = Package();
        var extracted = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(new MemoryStream(package.Bundle.ToArray()), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry(copyData: true) is { } entry)
            {
                Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
                Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, entry.Mode);
                Assert.Equal((0, 0), (entry.Uid, entry.Gid));
                using var content = new MemoryStream();
                entry.DataStream!.CopyTo(content);
                extracted.Add(entry.Name, content.ToArray());
            }
        }

        Assert.Equal(package.ManifestBytes.ToArray(), extracted[ReleasePackage.ManifestName]);
        var recomputed = string.Concat(extracted.Where(file => file.Key != ReleasePackage.ManifestName)
            .OrderBy(file => file.Key, StringComparer.Ordinal)
            .Select(file => $"{Convert.ToHexStringLower(SHA256.HashData(file.Value))}  {file.Key}\n"));
        Assert.Equal(package.Manifest, recomputed);
        Assert.Equal(PipelineData.Read("dotnet-passed.trx"), extracted["ci/test-report.trx"]);
    }

    [Fact]
    public void A_stream_member_is_read_and_packaged_like_bytes()
    {
        var bytes = PipelineData.Read("jest-junit.xml");

        var fromStream = Package([ReleaseMember.FromStream("ci/junit.xml", new MemoryStream(bytes))]);
        var fromBytes = Package([ReleaseMember.FromBytes("ci/junit.xml", bytes)]);

        Assert.Equal(fromBytes.Manifest, fromStream.Manifest);
    }

    [Fact]
    public void The_hash_an_earlier_stage_recorded_is_enforced()
    {
        var report = PipelineData.Read("dotnet-passed.trx");
        var judged = TestReport.Parse(report).Sha256;

        var same = ReleasePackage.Create(Version, [ReleaseMember.FromBytes("ci/test-report.trx", report, judged.ToUpperInvariant())]);
        var swapped = ReleasePackage.Create(Version, [ReleaseMember.FromBytes("ci/test-report.trx", PipelineData.Read("dotnet-failed.trx"), judged)]);

        Assert.Equal(StageVerdict.Pass, same.Verdict);
        Assert.Equal([PipelineReasons.PackageHashMismatch], swapped.ReasonCodes);
        Assert.Null(swapped.Package);
        Assert.Throws<ArgumentException>(() => ReleaseMember.FromBytes("a", report, "not-a-hash"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.json")]
    [InlineData("config/../../outside.json")]
    [InlineData("config/./rules.json")]
    [InlineData("config//rules.json")]
    [InlineData("config/")]
    [InlineData("config\\rules.json")]
    [InlineData("C:rules.json")]
    [InlineData(".hidden")]
    [InlineData("-rf")]
    [InlineData("rules json")]
    [InlineData("règles.json")]
    [InlineData("VERSION")]
    [InlineData("sha256sums")]
    public void Member_names_that_could_escape_mislead_or_collide_are_refused(string name)
    {
        var result = ReleasePackage.Create(Version, [.. Members(), ReleaseMember.FromBytes(name, new byte[] { 1 })]);

        Assert.Equal(StageVerdict.Fail, result.Verdict);
        Assert.Equal([PipelineReasons.PackageInvalid], result.ReasonCodes);
        Assert.Null(result.Package);
    }

    [Fact]
    public void A_name_longer_than_a_ustar_name_field_is_refused()
    {
        var result = ReleasePackage.Create(Version, [ReleaseMember.FromBytes(new string('a', ReleasePackage.MaxNameLength + 1), new byte[] { 1 })]);

        Assert.Equal([PipelineReasons.PackageInvalid], result.ReasonCodes);
        Assert.Equal(StageVerdict.Pass, ReleasePackage.Create(Version, [ReleaseMember.FromBytes(new string('a', ReleasePackage.MaxNameLength), new byte[] { 1 })]).Verdict);
    }

    [Fact]
    public void Duplicate_names_are_refused_even_when_only_their_case_differs()
    {
        var exact = ReleasePackage.Create(Version, [.. Members(), ReleaseMember.FromBytes("provenance.json", new byte[] { 1 })]);
        var folded = ReleasePackage.Create(Version, [.. Members(), ReleaseMember.FromBytes("Provenance.JSON", new byte[] { 1 })]);

        Assert.Equal([PipelineReasons.PackageInvalid], exact.ReasonCodes);
        Assert.Contains("twice", exact.Problems.Single(), StringComparison.Ordinal);
        Assert.Equal([PipelineReasons.PackageInvalid], folded.ReasonCodes);
    }

    [Fact]
    public void A_member_that_is_another_members_directory_is_refused()
    {
        var result = ReleasePackage.Create(Version, [ReleaseMember.FromBytes("config", new byte[] { 1 }), ReleaseMember.FromBytes("config/rules.json", new byte[] { 2 })]);

        Assert.Equal([PipelineReasons.PackageInvalid], result.ReasonCodes);
        Assert.Contains("directory", result.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_members_is_refused()
    {
        Assert.Equal([PipelineReasons.PackageInvalid], ReleasePackage.Create(Version, []).ReasonCodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1.4.0/../x")]
    [InlineData("-v1")]
    [InlineData("v 1")]
    public void A_version_that_cannot_name_a_bundle_is_refused(string version)
    {
        Assert.Equal([PipelineReasons.PackageInvalid], ReleasePackage.Create(version, Members()).ReasonCodes);
    }

    [Fact]
    public void A_stream_member_over_the_size_limit_is_refused()
    {
        var result = ReleasePackage.Create(Version, [ReleaseMember.FromStream("huge.bin", new EndlessStream())]);

        Assert.Equal([PipelineReasons.PackageInvalid], result.ReasonCodes);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = ReleasePackage.Create("bad version", [
            ReleaseMember.FromBytes("../x", new byte[] { 1 }),
            ReleaseMember.FromBytes("ok.json", new byte[] { 1 }, expectedSha256: new string('0', 64)),
        ]);

        Assert.Equal([PipelineReasons.PackageInvalid, PipelineReasons.PackageHashMismatch], result.ReasonCodes);
        Assert.Equal(3, result.Problems.Count);
    }

    [Fact]
    public void The_json_form_lists_hashes_not_bytes_and_is_deterministic()
    {
        var json = ReleasePackage.Create(Version, Members()).ToJson();

        Assert.Equal(PipelineData.Canonical(json), PipelineData.Canonical(ReleasePackage.Create(Version, Members().Reverse()).ToJson()));
        Assert.Equal("PASS", (string?)json["verdict"]);
        Assert.Equal(Package().ManifestSha256, (string?)json["manifest_sha256"]);
        Assert.Equal(5, json["members"]!.AsArray().Count);
        Assert.True(PipelineData.Canonical(json).Length < 2048);

        var failed = ReleasePackage.Create(Version, []).ToJson();
        Assert.Null(failed["bundle_sha256"]);
        Assert.Empty(failed["members"]!.AsArray());
    }

    [Fact]
    public void Provenance_is_canonical_json_and_checked()
    {
        Assert.Equal(
            """{"builder":"github-actions/release.yml","ci_run_id":"13000123456-1","ci_run_url":"https://github.com/example/tollgate/actions/runs/13000123456","commit":"16791c9e2b1f0a3c4d5e6f708192a3b4c5d6e7f8","schema":"tollgate.release_provenance.v1"}""",
            Encoding.UTF8.GetString(Provenance.ToJsonBytes()));
        Assert.Throws<ArgumentException>(() => new ReleaseProvenance("16791c9", "1", "https://ci.example/runs/1", "ci"));
        Assert.Throws<ArgumentException>(() => new ReleaseProvenance(Provenance.Commit, "1", "file:///etc/passwd", "ci"));
        Assert.Throws<ArgumentException>(() => new ReleaseProvenance(Provenance.Commit, "1", "https://ci.example/runs/1", "a\nb"));
    }

    /// <summary>A stream that never ends, to prove the size limit stops the read.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => count;
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
