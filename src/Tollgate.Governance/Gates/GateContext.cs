using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.KillSwitch;
using Tollgate.Governance.VersionMaps;

namespace Tollgate.Governance.Gates;

/// <summary>What a check may look at: the request, and the real subsystems it judges.</summary>
public sealed record GateContext(
    GateRequest Request, VersionMapService VersionMaps, IAuditLog Audit, IContentStore Content, KillSwitchService KillSwitch, ApprovalOptions Approvals,
    RecentlyVerified Verified, IOrderPathStatus OrderPath, DateTimeOffset Now)
{
    private Task<RegisteredMap?>? candidate;

    /// <summary>The candidate version map the request names, looked up once per evaluation.</summary>
    public Task<RegisteredMap?> CandidateAsync(CancellationToken cancellationToken) => candidate ??= FindCandidateAsync(cancellationToken);

    private async Task<RegisteredMap?> FindCandidateAsync(CancellationToken cancellationToken)
    {
        if (Request.VersionMapId is not { } id) return null;
        try
        {
            return await VersionMaps.GetAsync(id, cancellationToken);
        }
        catch (GovernanceException e) when (e.Reason == GovernanceReasons.MapNotFound)
        {
            return null;
        }
    }
}
