using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

public sealed class ReleaseBundleCheckTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Bundle(BundleBuilder? content = null, string name = "tollgate-release-v0.2.0.tar.gz") =>
        (content ?? BundleBuilder.Release("v0.2.0")).WriteTo(_dir.File(name));

    [Fact]
    public void A_sound_bundle_passes_with_its_measurements_as_facts()
    {
        var bundle = Bundle();
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0");

        Expect.Passed(result);
        Assert.Equal(EvidenceChecks.ReleaseBundle, result.Check);
        Assert.Equal(BundleBuilder.Sha256(bundle), result.Facts["bundle_sha256"]);
        Assert.Equal(new FileInfo(bundle).Length.ToString(), result.Facts["bundle_size_bytes"]);
        Assert.Equal("4", result.Facts["member_count"]);
        var memberBytes = "v0.2.0\n".Length + "#!/bin/sh\necho tollgate\n".Length + "# Tollgate release\n".Length;
        Assert.Equal(memberBytes.ToString(), result.Facts["member_bytes"]);
        Assert.Equal("v0.2.0", result.Facts["version_file"]);
        Assert.Equal("v0.2.0", result.Facts["version"]);
        Assert.Equal("tollgate-release-v0.2.0.tar.gz", result.Facts["checksum_name"]);
    }

    [Theory]
    [InlineData(" *", "tollgate-release-v0.2.0.tar.gz")]
    [InlineData("  ", "dist/tollgate-release-v0.2.0.tar.gz")]
    [InlineData("  ", "./tollgate-release-v0.2.0.tar.gz")]
    public void Binary_mode_and_recorded_directories_are_accepted(string separator, string recordedName)
    {
        var bundle = Bundle();
        Expect.Passed(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle, recordedName, separator: separator), "v0.2.0"));
    }

    [Fact]
    public void Upper_case_hex_and_a_missing_final_newline_are_accepted()
    {
        var bundle = Bundle();
        var checksum = _dir.Write("upper.sha256", $"{BundleBuilder.Sha256(bundle).ToUpperInvariant()}  tollgate-release-v0.2.0.tar.gz");
        Expect.Passed(ReleaseBundleCheck.Verify(bundle, checksum, "v0.2.0"));
    }

    [Fact]
    public void A_tgz_bundle_without_a_VERSION_file_passes_on_its_name()
    {
        var bundle = Bundle(BundleBuilder.Empty().File("app.dll", "binary"), "tollgate-v1.4.2-rc.1.tgz");
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v1.4.2-rc.1");
        Expect.Passed(result);
        Assert.Equal("absent", result.Facts["version_file"]);
    }

    [Fact]
    public void A_different_hash_is_a_checksum_mismatch_naming_both_hashes()
    {
        var bundle = Bundle();
        var wrong = Convert.ToHexStringLower(SHA256.HashData("something else"u8));
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle, sha: wrong), "v0.2.0");

        Expect.FailedOnly(result, ChecksumMismatch);
        Assert.Contains(wrong, result.Summary);
        Assert.Contains(BundleBuilder.Sha256(bundle), result.Summary);
        Assert.Equal(wrong, result.Facts["checksum_sha256"]);
    }

    [Fact]
    public void A_bundle_changed_after_its_checksum_was_taken_is_caught()
    {
        var bundle = Bundle();
        var checksum = BundleBuilder.WriteChecksum(bundle);
        BundleBuilder.Release("v0.2.0").File("extra", "x").WriteTo(bundle);
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, checksum, "v0.2.0"), ChecksumMismatch);
    }

    public static TheoryData<string> MalformedChecksumFiles => new()
    {
        "",
        "\n",
        "not-a-hash  tollgate-release-v0.2.0.tar.gz\n",
        new string('a', 63) + "  tollgate-release-v0.2.0.tar.gz\n",
        new string('a', 65) + "  tollgate-release-v0.2.0.tar.gz\n",
        new string('g', 64) + "  tollgate-release-v0.2.0.tar.gz\n",
        new string('a', 64) + " tollgate-release-v0.2.0.tar.gz\n",
        new string('a', 64) + "tollgate-release-v0.2.0.tar.gz\n",
        new string('a', 64) + "  \n",
        new string('a', 64) + "  dist/\n",
        "\\" + new string('a', 64) + "  tollgate\\nrelease.tar.gz\n",
        new string('a', 64) + "  tollgate-release-v0.2.0.tar.gz\n" + new string('b', 64) + "  other.tar.gz\n",
        new string('a', 64) + "  tollgate-release-v0.2.0.tar.gz\n\n",
    };

    [Theory]
    [MemberData(nameof(MalformedChecksumFiles))]
    public void A_checksum_file_that_is_not_one_sha256sum_line_is_a_format_failure(string content)
    {
        var bundle = Bundle();
        var result = ReleaseBundleCheck.Verify(bundle, _dir.Write("bad.sha256", content), "v0.2.0");
        Expect.FailedOnly(result, ChecksumFormat);
        Assert.Equal(BundleBuilder.Sha256(bundle), result.Facts["bundle_sha256"]);
    }

    [Fact]
    public void A_checksum_file_that_is_not_UTF8_is_a_format_failure()
    {
        var bundle = Bundle();
        var path = _dir.File("binary.sha256");
        File.WriteAllBytes(path, [0xff, 0xfe, 0x00, 0x41]);
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, path, "v0.2.0"), ChecksumFormat);
    }

    [Fact]
    public void A_checksum_for_another_file_name_is_a_name_mismatch()
    {
        var bundle = Bundle();
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle, "tollgate-release-v0.1.0.tar.gz"), "v0.2.0");
        Expect.FailedOnly(result, ChecksumNameMismatch);
    }

    [Fact]
    public void Missing_and_unreadable_files_are_results_not_exceptions()
    {
        var bundle = Bundle();
        var checksum = BundleBuilder.WriteChecksum(bundle);

        Expect.FailedOnly(ReleaseBundleCheck.Verify(_dir.File("nope-v0.2.0.tar.gz"), checksum, "v0.2.0"), BundleMissing);
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, _dir.File("nope.sha256"), "v0.2.0"), ChecksumMissing);
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, _dir.Path, "v0.2.0"), ChecksumUnreadable);

        var directoryBundle = _dir.File("dir-v0.2.0.tar.gz");
        Directory.CreateDirectory(directoryBundle);
        Expect.Failed(ReleaseBundleCheck.Verify(directoryBundle, checksum, "v0.2.0"), BundleUnreadable);
        Expect.Failed(ReleaseBundleCheck.Verify(_dir.File("missing-dir/x-v0.2.0.tar.gz"), checksum, "v0.2.0"), BundleMissing);
    }

    [Fact]
    public void Bytes_that_are_not_gzip_are_unreadable_but_still_hashed()
    {
        var bundle = _dir.File("tollgate-release-v0.2.0.tar.gz");
        File.WriteAllText(bundle, "this is not an archive");
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0");

        Expect.FailedOnly(result, BundleUnreadable);
        Assert.Equal(BundleBuilder.Sha256(bundle), result.Facts["bundle_sha256"]);
        Assert.False(result.Facts.ContainsKey("member_count"));
    }

    [Fact]
    public void Gzip_of_something_that_is_not_tar_is_unreadable()
    {
        var bundle = _dir.File("tollgate-release-v0.2.0.tar.gz");
        using (var file = File.Create(bundle))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.ASCII.GetBytes(new string('x', 2000)));
        }

        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"), BundleUnreadable);
    }

    [Fact]
    public void A_corrupted_gzip_trailer_is_unreadable()
    {
        var bytes = BundleBuilder.Release("v0.2.0").ToBytes();
        bytes[^6] ^= 0xff; // inside the CRC-32 of the gzip trailer
        var bundle = _dir.File("tollgate-release-v0.2.0.tar.gz");
        File.WriteAllBytes(bundle, bytes);
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"), BundleUnreadable);
    }

    [Fact]
    public void The_hash_covers_bytes_after_the_archive_and_large_members_stream()
    {
        var big = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var bytes = BundleBuilder.Release("v0.2.0").Bytes("lib/big.bin", big).ToBytes().Concat("trailing"u8.ToArray()).ToArray();
        var bundle = _dir.File("tollgate-release-v0.2.0.tar.gz");
        File.WriteAllBytes(bundle, bytes);
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.Facts["bundle_sha256"]);
        Assert.Equal(bytes.Length.ToString(), result.Facts["bundle_size_bytes"]);
    }

    [Fact]
    public void A_name_that_is_not_tar_gz_or_tgz_is_a_format_failure()
    {
        var bundle = Bundle(name: "tollgate-release-v0.2.0.zip");
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"), BundleFormat);
    }

    [Fact]
    public void An_archive_without_a_regular_file_is_empty()
    {
        var bundle = Bundle(BundleBuilder.Empty().Directory("bin/"));
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"), BundleEmpty);
    }

    public static TheoryData<string, string?, TarEntryType> UnsafeMembers => new()
    {
        { "../evil.sh", null, TarEntryType.RegularFile },
        { "bin/../../evil.sh", null, TarEntryType.RegularFile },
        { "/etc/cron.d/evil", null, TarEntryType.RegularFile },
        { "bin/escape", "../../etc/passwd", TarEntryType.SymbolicLink },
        { "bin/absolute", "/etc/passwd", TarEntryType.SymbolicLink },
        { "hard", "../outside", TarEntryType.HardLink },
    };

    [Theory]
    [MemberData(nameof(UnsafeMembers))]
    public void Members_that_land_or_point_outside_the_extraction_directory_are_unsafe(string name, string? link, TarEntryType type)
    {
        var content = BundleBuilder.Release("v0.2.0");
        content = link is null ? content.File(name, "x") : content.Link(name, link, type);
        var bundle = Bundle(content);
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0");

        Expect.FailedOnly(result, BundleUnsafeMember);
        Assert.Equal(name, result.Facts["unsafe_member"]);
    }

    [Fact]
    public void Links_that_stay_inside_are_safe()
    {
        var bundle = Bundle(BundleBuilder.Release("v0.2.0").File("lib/tool", "x").Link("bin/tool", "../lib/tool").Link("bin/tool2", "lib/tool", TarEntryType.HardLink));
        Expect.Passed(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"));
    }

    [Theory]
    [InlineData("v0.3.0")]
    [InlineData("v0.2")]
    [InlineData("0.2.0")]
    public void An_expected_version_the_name_does_not_carry_is_a_version_mismatch(string expect)
    {
        var bundle = Bundle(BundleBuilder.Empty().File("app", "x"));
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), expect), VersionMismatch);
    }

    [Theory]
    [InlineData("tollgate-release-v0.2.0.1.tar.gz")]
    [InlineData("tollgate-release-v0.2.01.tar.gz")]
    [InlineData("tollgate-release-xv0.2.0.tar.gz")]
    public void The_version_must_be_a_whole_token_of_the_name(string name)
    {
        var bundle = Bundle(BundleBuilder.Empty().File("app", "x"), name);
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"), VersionMismatch);
    }

    [Theory]
    [InlineData("tollgate-release-v0.2.0-linux-x64.tar.gz")]
    [InlineData("tollgate_v0.2.0.tar.gz")]
    [InlineData("v0.2.0.tar.gz")]
    [InlineData("tollgate-v0.2.0+build.7.tar.gz")]
    public void The_version_may_sit_anywhere_in_the_name_as_a_token(string name)
    {
        var bundle = Bundle(BundleBuilder.Empty().File("app", "x"), name);
        Expect.Passed(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"));
    }

    [Fact]
    public void A_VERSION_file_with_another_version_is_a_version_file_mismatch()
    {
        var bundle = Bundle(BundleBuilder.Release("v0.1.0"));
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0");
        Expect.FailedOnly(result, VersionFileMismatch);
        Assert.Equal("v0.1.0", result.Facts["version_file"]);
    }

    public static TheoryData<BundleBuilder> InvalidVersionFiles => new()
    {
        BundleBuilder.Empty().File("VERSION", ""),
        BundleBuilder.Empty().File("VERSION", "\n"),
        BundleBuilder.Empty().File("VERSION", "v0.2.0\nv0.3.0\n"),
        BundleBuilder.Empty().File("VERSION", "v0.2.0 \n"),
        BundleBuilder.Empty().File("VERSION", new string('1', 200)),
        BundleBuilder.Empty().File("VERSION", "v0.2.0\n").File("./VERSION", "v0.2.0\n"),
        BundleBuilder.Empty().File("app", "x").Directory("VERSION"),
        BundleBuilder.Empty().File("app", "x").Link("VERSION", "app"),
    };

    [Theory]
    [MemberData(nameof(InvalidVersionFiles))]
    public void A_VERSION_file_that_is_not_one_version_line_is_invalid(BundleBuilder content)
    {
        var bundle = Bundle(content);
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0");
        Expect.FailedOnly(result, VersionFileInvalid);
        Assert.Equal("invalid", result.Facts["version_file"]);
    }

    [Fact]
    public void A_VERSION_file_with_CRLF_or_no_newline_is_read_as_one_line()
    {
        foreach (var content in new[] { "v0.2.0\r\n", "v0.2.0" })
        {
            var bundle = Bundle(BundleBuilder.Empty().File("VERSION", content));
            Expect.Passed(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), "v0.2.0"));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("v 0.2.0")]
    [InlineData("-v0.2.0")]
    [InlineData("v0.2.0/../x")]
    public void An_expected_version_that_is_not_a_version_is_invalid(string expect)
    {
        var bundle = Bundle();
        Expect.FailedOnly(ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle), expect), VersionInvalid);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_run()
    {
        var bundle = Bundle(BundleBuilder.Release("v0.1.0"));
        var wrong = new string('0', 64);
        var result = ReleaseBundleCheck.Verify(bundle, BundleBuilder.WriteChecksum(bundle, "other.tar.gz", wrong), "v0.3.0");
        Expect.FailedOnly(result, ChecksumNameMismatch, ChecksumMismatch, VersionMismatch, VersionFileMismatch);
    }

    [Fact]
    public void Truncated_or_corrupted_bundles_never_throw()
    {
        var original = BundleBuilder.Release("v0.2.0").Bytes("lib/data.bin", RandomNumberGenerator.GetBytes(50_000)).ToBytes();
        var checksum = _dir.Write("fuzz.sha256", Convert.ToHexStringLower(SHA256.HashData(original)) + "  tollgate-release-v0.2.0.tar.gz\n");
        var bundle = _dir.File("tollgate-release-v0.2.0.tar.gz");

        Gen.Select(Gen.Int[0, original.Length - 1], Gen.Int[0, original.Length - 1], Gen.Byte, Gen.Bool)
            .Sample((cut, at, value, truncate) =>
            {
                var bytes = truncate ? original[..cut] : (byte[])original.Clone();
                if (!truncate)
                {
                    bytes[at] ^= (byte)(value | 1);
                }

                File.WriteAllBytes(bundle, bytes);
                var result = ReleaseBundleCheck.Verify(bundle, checksum, "v0.2.0");
                return !result.Passed && result.Has(ChecksumMismatch);
            }, iter: 300, threads: 1);
    }
}
