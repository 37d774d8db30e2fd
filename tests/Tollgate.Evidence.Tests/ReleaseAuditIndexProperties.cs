using System.Security.Cryptography;
using CsCheck;
using static Tollgate.Evidence.EvidenceReasonCodes;

namespace Tollgate.Evidence.Tests;

public sealed class ReleaseAuditIndexProperties
{
    // Few versions and few bundles, so random sequences hit repeats and conflicts often.
    private static readonly Gen<(int Version, int Bundle, int Day)> GenSummary = Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int[0, 400]);

    private static ReleaseAuditSummary Summary((int Version, int Bundle, int Day) s) => new(
        $"v1.{s.Version}.0", $"tollgate-release-v1.{s.Version}.0.tar.gz", Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(s.Bundle))),
        5000 + s.Bundle, $"tollgate-release-v1.{s.Version}.0.tar.gz", 3, 700 + s.Bundle, $"v1.{s.Version}.0", ReleaseFiles.GeneratedAt.AddDays(s.Day));

    [Fact]
    public void Random_appends_keep_the_chain_verifiable_idempotent_and_conflict_free()
    {
        GenSummary.Array[1, 15].Sample(sequence =>
        {
            using var dir = new TempDir();
            var index = dir.File("index.jsonl");
            var byVersion = new Dictionary<int, int>();
            var byBundle = new Dictionary<int, int>();
            var lines = 0;
            foreach (var step in sequence)
            {
                var before = File.Exists(index) ? File.ReadAllBytes(index) : [];
                var result = ReleaseAuditIndex.Append(Summary(step), index);
                var known = byVersion.TryGetValue(step.Version, out var recordedBundle);
                var bundleKnown = byBundle.TryGetValue(step.Bundle, out var recordedVersion);
                if ((known && recordedBundle != step.Bundle) || (bundleKnown && recordedVersion != step.Version))
                {
                    Expect.FailedOnly(result, IndexConflict);
                    Assert.Equal(before, File.ReadAllBytes(index));
                }
                else if (known)
                {
                    Expect.Passed(result);
                    Assert.Equal("false", result.Facts["appended"]);
                    Assert.Equal(before, File.ReadAllBytes(index));
                }
                else
                {
                    Expect.Passed(result);
                    lines++;
                    byVersion[step.Version] = step.Bundle;
                    byBundle[step.Bundle] = step.Version;
                    Assert.Equal(before, File.ReadAllBytes(index)[..before.Length]);
                }
            }

            Assert.Equal(lines, File.ReadAllLines(index).Length);
            foreach (var (version, bundle) in byVersion)
            {
                var summary = dir.Write($"s{version}.json", Summary((version, bundle, 0)).ToJson());
                Expect.Passed(ReleaseAuditIndex.Verify(summary, index, $"v1.{version}.0"));
            }
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void Any_single_character_edit_is_detected_on_the_line_it_was_made()
    {
        const string Replacements = "0123456789abcdefxyz{}[]\":, ";
        Gen.Select(Gen.Int[2, 6], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, Replacements.Length - 1])
            .Sample((count, linePick, charPick, replacementPick) =>
            {
                using var dir = new TempDir();
                var index = dir.File("index.jsonl");
                for (var n = 1; n <= count; n++)
                {
                    Expect.Passed(ReleaseAuditIndex.Append(Summary((n, n, n)), index));
                }

                var lines = File.ReadAllLines(index);
                var line = linePick % count;
                var at = charPick % lines[line].Length;
                var replacement = Replacements[replacementPick] == lines[line][at] ? '~' : Replacements[replacementPick];
                lines[line] = lines[line][..at] + replacement + lines[line][(at + 1)..];
                File.WriteAllText(index, string.Concat(lines.Select(l => l + "\n")));

                var summary = dir.Write("s.json", Summary((1, 1, 1)).ToJson());
                var result = ReleaseAuditIndex.Verify(summary, index, "v1.1.0");
                Assert.False(result.Passed);
                var flagged = new[] { "tampered_lines", "malformed_lines" }
                    .Where(result.Facts.ContainsKey)
                    .SelectMany(key => result.Facts[key].Split(',').Select(long.Parse))
                    .Min();
                Assert.Equal(line + 1, flagged);
            }, iter: 150, threads: 1);
    }
}
