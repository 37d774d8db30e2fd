using System.Globalization;

namespace Tollgate.Ledger.Storage;

/// <summary>
/// Where everything lives, as names relative to the ledger's container (Blob storage) or folder (an export).
/// One layout for both, so an export is a byte-for-byte copy and one verifier reads either.
/// </summary>
public static class LedgerLayout
{
    public const string SegmentPrefix = "segments/";
    public const string CheckpointPrefix = "checkpoints/";
    public const string ObjectPrefix = "objects/sha256/";
    public const string BundlePrefix = "bundles/";
    public const string VerifierKey = "verifier-key.txt";

    public static string Segment(long firstIndex) => $"{SegmentPrefix}{firstIndex:D20}.jsonl";
    public static string Checkpoint(long size) => $"{CheckpointPrefix}{size:D20}.note";
    public static string Object(string sha256Hex) => ObjectPrefix + sha256Hex;
    public static string BundleManifest(string sha256Hex) => $"{BundlePrefix}{sha256Hex}.json";
    public static string BundleSignature(string sha256Hex) => $"{BundlePrefix}{sha256Hex}.sig";

    public static bool TryParseSegment(string name, out long firstIndex) => TryParseNumbered(name, SegmentPrefix, ".jsonl", out firstIndex);
    public static bool TryParseCheckpoint(string name, out long size) => TryParseNumbered(name, CheckpointPrefix, ".note", out size);

    private static bool TryParseNumbered(string name, string prefix, string suffix, out long number)
    {
        number = 0;
        return name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal)
            && name.Length == prefix.Length + 20 + suffix.Length
            && long.TryParse(name.AsSpan(prefix.Length, 20), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
