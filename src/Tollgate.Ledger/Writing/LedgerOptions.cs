using Tollgate.Ledger.Entries;

namespace Tollgate.Ledger.Writing;

/// <summary>How a writer batches and signs.</summary>
public sealed record LedgerOptions
{
    public LedgerOptions(string origin)
    {
        if (string.IsNullOrWhiteSpace(origin) || origin.Any(c => char.IsWhiteSpace(c) || c == '+'))
            throw new ArgumentException("The origin names the log in every checkpoint and is the signing key's name: non-empty, no spaces, no '+'.", nameof(origin));
        Origin = origin;
    }

    /// <summary>The checkpoint origin line (c2sp.org/tlog-checkpoint), e.g. <c>tollgate.example/ledger</c>.</summary>
    public string Origin { get; }

    /// <summary>Most entries one group commit writes as one block.</summary>
    public int MaxBatchEntries { get; init; } = 16_384;

    /// <summary>Attempts of one batch against conflicts and storage errors before its appends fail.</summary>
    public int CommitAttempts { get; init; } = 16;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// While more appends are queued, at most one checkpoint per this interval (blocks written meanwhile are
    /// covered by the next). Bounds signing and verification work under load. Zero: one per block.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Refuses entries that must never be recorded: returns why, or null to let the entry through. The host screens
    /// for secret values this way, so no path into the ledger can carry one. Null: nothing is screened.
    /// </summary>
    public Func<LedgerEntry, string?>? Screen { get; init; }

    /// <summary>
    /// Called at the writer's named crash points (<see cref="LedgerFaultPoints"/>); the crash tests use it to stop
    /// a real host at an exact step. Null in production.
    /// </summary>
    public Func<string, Task>? FaultInjection { get; init; }
}
