using System.Diagnostics;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Tests.Storage;
using Xunit.Abstractions;

namespace Tollgate.Ledger.Tests.Verification;

/// <summary>
/// Thousands of random single-byte changes, anywhere in the files a verification reads: every one must be
/// reported. Each change is made to a pristine copy of the ledger folder (the byte is put back and the file
/// checked against the original before the next change).
/// </summary>
public class RandomTamperTests(TamperLedgerFixture fixture, ITestOutputHelper output) : IClassFixture<TamperLedgerFixture>
{
    // Overridable for a longer hunt: TOLLGATE_LEDGER_TAMPER_CHANGES=50000 TOLLGATE_LEDGER_TAMPER_SEED=7 dotnet test ...
    private static readonly int Changes = FromEnvironment("TOLLGATE_LEDGER_TAMPER_CHANGES", 2_000);
    private static readonly int Seed = FromEnvironment("TOLLGATE_LEDGER_TAMPER_SEED", 20_250_314);

    [Fact]
    public async Task Every_random_single_byte_change_is_detected()
    {
        using var copy = fixture.Ledger.Copy();
        var baseline = await copy.VerifyAsync();
        Assert.True(baseline.Ok, string.Join("\n", baseline.Problems));
        var files = new Dictionary<string, string[]>
        {
            ["segment"] = [.. fixture.Ledger.SegmentStarts.Select(copy.SegmentPath)],
            ["checkpoint"] = [.. fixture.Ledger.CheckpointSizes.Select(copy.CheckpointPath)],
            ["index row"] = [copy.RowsPath],
            ["verifier key"] = [copy.PathOf(LedgerLayout.VerifierKey)],
        };
        var originals = files.Values.SelectMany(paths => paths).ToDictionary(path => path, File.ReadAllBytes);
        var random = new Random(Seed);
        var missed = new List<string>();
        var counts = files.Keys.ToDictionary(kind => kind, _ => 0);
        var watch = Stopwatch.StartNew();

        for (var change = 0; change < Changes; change++)
        {
            var kind = files.Keys.ElementAt(random.Next(files.Count));
            var path = files[kind][random.Next(files[kind].Length)];
            var original = originals[path];
            var position = random.Next(original.Length);
            var value = (byte)((original[position] + 1 + random.Next(255)) % 256);
            var changed = original.ToArray();
            changed[position] = value;
            counts[kind]++;

            File.WriteAllBytes(path, changed);
            try
            {
                var report = await copy.VerifyAsync();
                if (report.Ok) missed.Add(Describe(copy, path, original, position, value));
            }
            catch (Exception e)
            {
                missed.Add($"{Describe(copy, path, original, position, value)}: the verifier threw {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                File.WriteAllBytes(path, original);
            }
        }

        output.WriteLine($"seed {Seed}: {Changes} changes in {watch.Elapsed.TotalSeconds:F1} s: {string.Join(", ", counts.Select(pair => $"{pair.Value} {pair.Key}"))}");
        Assert.All(originals, pair => Assert.Equal(pair.Value, File.ReadAllBytes(pair.Key)));
        Assert.True(missed.Count == 0, $"{missed.Count} of {Changes} changes went unnoticed:\n{string.Join("\n", missed.Take(40))}");
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    private static string Describe(LedgerCopy copy, string path, byte[] original, int position, byte value)
    {
        var from = Math.Max(0, position - 24);
        var context = System.Text.Encoding.UTF8.GetString(original, from, Math.Min(original.Length, position + 24) - from).Replace("\n", "\\n");
        return $"{Path.GetRelativePath(copy.Root, path)} byte {position}: 0x{original[position]:x2} -> 0x{value:x2} in \"{context}\"";
    }
}
