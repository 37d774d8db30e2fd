using Tollgate.Governance.Identity;

namespace Tollgate.Governance.Environments;

/// <summary>The rules an environment's governance level puts on who may act there.</summary>
public static class EnvironmentPolicy
{
    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.SharedAccount"/> for a shared account on a live-grade environment.</exception>
    public static void CheckActor(Principal caller, DeploymentEnvironment environment)
    {
        if (caller.IsShared && EnvironmentCatalog.Profile(environment).ForbidsSharedAccounts)
            throw new GovernanceException(GovernanceReasons.SharedAccount,
                $"{caller.Subject} is a shared account; acting on {environment} needs a personal identity (seed 000 §8.1).");
    }
}
