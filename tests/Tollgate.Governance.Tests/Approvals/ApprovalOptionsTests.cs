using Tollgate.Governance.Approvals;

namespace Tollgate.Governance.Tests.Approvals;

public sealed class ApprovalOptionsTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(120)]
    [InlineData(900)]
    public void A_challenge_lifetime_from_ten_seconds_to_fifteen_minutes_is_taken(int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new ApprovalOptions(TimeSpan.FromSeconds(seconds)).ChallengeTtl);

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(901)]
    [InlineData(-1)]
    public void A_lifetime_outside_those_bounds_is_refused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApprovalOptions(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_default_lifetime_is_two_minutes() => Assert.Equal(TimeSpan.FromMinutes(2), ApprovalOptions.Default.ChallengeTtl);
}
