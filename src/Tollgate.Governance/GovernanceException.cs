namespace Tollgate.Governance;

/// <summary>
/// A governance request that was refused; <see cref="Reason"/> is a stable code from <see cref="GovernanceReasons"/>.
/// A refused request changes nothing: every rule is checked before anything is written.
/// </summary>
public sealed class GovernanceException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
