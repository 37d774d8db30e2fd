namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>Every approval step with bad input, against a pending approval: refused with a reason, never 5xx, and the approval unchanged.</summary>
public sealed class ApprovalBadInputTests(GovernanceScene scene) : IClassFixture<GovernanceScene>
{
    private static readonly Dictionary<string, BadInput> Cases = GovernanceEndpoints.Corpus(GovernanceEndpoints.Approvals, More());

    private static IEnumerable<(string, BadInput)> More()
    {
        foreach (var endpoint in GovernanceEndpoints.Approvals.Where(e => e.Path.Contains("{approval}", StringComparison.Ordinal)))
        {
            foreach (var id in new[] { "ap-00000000000000000000", "nope", "%E2%80%AEap-1", new string('a', 300) })
            {
                var shown = Uri.UnescapeDataString(id);
                yield return ($"{endpoint.Name}: approval id '{shown[..Math.Min(shown.Length, 24)]}'",
                    new BadInput(endpoint.Caller, "POST", endpoint.Path.Replace("{approval}", id, StringComparison.Ordinal), endpoint.ValidBody, 404, "APPROVAL_NOT_FOUND"));
            }
        }
        foreach (var decision in new[] { GovernanceEndpoints.Veto, GovernanceEndpoints.Return })
        {
            yield return ($"{decision.Name}: reason_codes missing", new BadInput(Caller.Trader, "POST", decision.Path, """{"reason":"no"}""", 400, "APPROVAL_REASON_CODES_REQUIRED"));
            yield return ($"{decision.Name}: reason_codes empty", new BadInput(Caller.Trader, "POST", decision.Path, """{"reason_codes":[]}""", 400, "APPROVAL_REASON_CODES_REQUIRED"));
        }
        yield return ("confirm: a challenge before any approve", new BadInput(Caller.Trader, "POST", GovernanceEndpoints.Confirm.Path, """{"challenge":"{challenge}"}""", 409, "APPROVAL_NO_CHALLENGE"));
        yield return ("resubmit: an approval that was not returned", new BadInput(Caller.Operator, "POST", GovernanceEndpoints.Resubmit.Path, """{"reason":"again"}""", 409, "APPROVAL_NOT_PENDING"));
        yield return ("request an approval: kind 'DEPLOY'", new BadInput(Caller.Operator, "POST", "/api/approvals",
            GovernanceBodies.Approval("Research", kind: "DEPLOY"), 400, "GOV_INVALID_REQUEST"));
        yield return ("read an approval: an id that is not one", new BadInput(Caller.Operator, "GET", "/api/approvals/%01", null, 404, "APPROVAL_NOT_FOUND"));
    }

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public Task A_bad_approval_request_is_refused_with_a_reason_and_changes_no_approval(string name) => scene.AssertRefusedAndNothingChangedAsync(name, Cases[name]);
}
