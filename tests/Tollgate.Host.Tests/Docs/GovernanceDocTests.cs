using System.Text;
using Tollgate.Governance;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Process;

namespace Tollgate.Host.Tests.Docs;

/// <summary>docs/GOVERNANCE.md prints the role matrix and the reason codes; these keep it true to the code.</summary>
public sealed class GovernanceDocTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(Processes.RepoRoot(), "docs", "GOVERNANCE.md"));

    [Fact]
    public void The_role_matrix_in_the_documentation_is_the_one_the_code_enforces()
    {
        var roles = Enum.GetValues<Role>();
        var expected = new StringBuilder();
        expected.Append("| action | ").Append(string.Join(" | ", roles)).Append(" |\n");
        expected.Append("|---|").Append(string.Join("|", roles.Select(_ => ":-:"))).Append("|\n");
        foreach (var action in Enum.GetValues<GovernanceAction>())
            expected.Append($"| {action} | ").Append(string.Join(" | ", roles.Select(role => RoleMatrix.Allows(role, action) ? "yes" : "–"))).Append(" |\n");

        var begin = Doc.IndexOf("<!-- role-matrix:begin -->\n", StringComparison.Ordinal);
        var end = Doc.IndexOf("<!-- role-matrix:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/GOVERNANCE.md lost its role-matrix markers");
        Assert.Equal(expected.ToString(), Doc[(begin + "<!-- role-matrix:begin -->\n".Length)..end]);
    }

    [Fact]
    public void Every_governance_reason_code_is_documented()
    {
        var missing = GovernanceReasons.Descriptions.Keys.Where(code => !Doc.Contains($"`{code}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"docs/GOVERNANCE.md §10 lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_gate_check_is_documented_with_its_id()
    {
        var missing = Tollgate.Governance.Gates.GateCatalog.All.Where(check => !Doc.Contains($"| {check.Id} |", StringComparison.Ordinal)).Select(check => check.Id).ToList();
        Assert.True(missing.Count == 0, $"docs/GOVERNANCE.md §4 lacks {string.Join(", ", missing)}");
    }
}
