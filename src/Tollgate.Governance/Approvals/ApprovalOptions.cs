namespace Tollgate.Governance.Approvals;

/// <summary>How long an approver has between the two steps of APPROVE.</summary>
public sealed record ApprovalOptions
{
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaximumTtl = TimeSpan.FromMinutes(15);

    public ApprovalOptions(TimeSpan challengeTtl)
    {
        if (challengeTtl < MinimumTtl || challengeTtl > MaximumTtl)
            throw new ArgumentOutOfRangeException(nameof(challengeTtl), challengeTtl,
                $"The challenge lifetime must be from {MinimumTtl.TotalSeconds:0} s to {MaximumTtl.TotalMinutes:0} min: long enough to read what is approved, short enough that a forgotten challenge is dead.");
        ChallengeTtl = challengeTtl;
    }

    public TimeSpan ChallengeTtl { get; }

    public static ApprovalOptions Default { get; } = new(TimeSpan.FromMinutes(2));
}
