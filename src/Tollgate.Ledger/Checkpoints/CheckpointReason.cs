namespace Tollgate.Ledger.Checkpoints;

/// <summary>The stable reason codes of <see cref="CheckpointFormatException"/>.</summary>
public static class CheckpointReason
{
    /// <summary>The text's layout is wrong: no final newline, fewer than three lines, or a control character.</summary>
    public const string Malformed = "CHECKPOINT_MALFORMED";

    /// <summary>The origin line is empty.</summary>
    public const string BadOrigin = "CHECKPOINT_MALFORMED_ORIGIN";

    /// <summary>The size is not a canonical decimal (no sign, no leading zeros) that fits a 64-bit signed integer.</summary>
    public const string BadSize = "CHECKPOINT_MALFORMED_SIZE";

    /// <summary>The root hash is not canonical standard base64 of exactly 32 bytes.</summary>
    public const string BadRootHash = "CHECKPOINT_MALFORMED_ROOT_HASH";

    /// <summary>An extension line is empty.</summary>
    public const string BadExtension = "CHECKPOINT_MALFORMED_EXTENSION";
}
