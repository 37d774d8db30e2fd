namespace Tollgate.Ledger.Checkpoints;

/// <summary>A checkpoint note text that breaks c2sp.org/tlog-checkpoint; <see cref="Reason"/> is one of <see cref="CheckpointReason"/>.</summary>
public sealed class CheckpointFormatException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code (see <see cref="CheckpointReason"/>).</summary>
    public string Reason { get; } = reason;
}
