namespace Tollgate.Governance.Identity;

/// <summary>Who is calling: an authenticated identity and its roles.</summary>
/// <param name="Subject">The stable identity (Entra ID object id, or the local token's subject); what the ledger records as actor.</param>
/// <param name="Name">A display name, when the token carries one.</param>
/// <param name="IsShared">A shared account (several people behind one login), which may not act on live-grade environments.</param>
public sealed record Principal(string Subject, string? Name, IReadOnlySet<Role> Roles, bool IsShared)
{
    public bool Has(Role role) => Roles.Contains(role);

    public override string ToString() => Name is null ? Subject : $"{Subject} ({Name})";
}
