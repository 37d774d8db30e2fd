namespace Tollgate.Governance.Tests.Support;

/// <summary>Asserts a governance call is refused with one reason code, and hands back the refusal for its message.</summary>
internal static class Refused
{
    public static async Task<GovernanceException> WithAsync(string reason, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<GovernanceException>(call);
        Assert.True(e.Reason == reason, $"Expected {reason}, got {e.Reason}: {e.Message}");
        return e;
    }

    public static GovernanceException With(string reason, Action call)
    {
        var e = Assert.Throws<GovernanceException>(call);
        Assert.True(e.Reason == reason, $"Expected {reason}, got {e.Reason}: {e.Message}");
        return e;
    }
}
