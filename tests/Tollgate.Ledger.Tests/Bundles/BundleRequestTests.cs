using Tollgate.Ledger.Bundles;

namespace Tollgate.Ledger.Tests.Bundles;

public class BundleRequestTests
{
    public static TheoryData<string, string> Refusals => new()
    {
        { "unknown role", BundleReason.UnknownRole },
        { "duplicate name", BundleReason.DuplicateMember },
        { "duplicate name ignoring case", BundleReason.DuplicateMember },
        { "name clashing with a ledger member", BundleReason.DuplicateMember },
        { "name with a slash", BundleReason.BadRequest },
        { "name with a space", BundleReason.BadRequest },
        { "name dot-dot", BundleReason.BadRequest },
        { "empty name", BundleReason.BadRequest },
        { "name of 201 characters", BundleReason.BadRequest },
        { "empty media type", BundleReason.BadRequest },
        { "member in a ledger-built role", BundleReason.BadRequest },
        { "event ref with a space", BundleReason.BadRequest },
        { "empty event ref", BundleReason.BadRequest },
        { "event ref of 257 characters", BundleReason.BadRequest },
        { "unknown environment", BundleReason.BadRequest },
        { "empty created_by", BundleReason.BadRequest },
        { "created_by with a newline", BundleReason.BadRequest },
        { "empty bundle", BundleReason.BadRequest },
        { "negative ledger index", BundleReason.BadRequest },
        { "repeated ledger index", BundleReason.BadRequest },
        { "ledger index beyond the checkpoint", BundleReason.BadRequest },
        { "ledger indexes without a ledger", BundleReason.BadRequest },
        { "10,001 members", BundleReason.TooLarge },
        { "member over 256 MiB", BundleReason.TooLarge },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_request_is_refused_and_writes_nothing(string @case, string reason)
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(3);
        var before = await kit.ObjectCountAsync();
        var ok = BundleTestKit.Request();
        var huge = new HugeMemory((int)BundleLimits.MaxMemberBytes + 1);
        var request = @case switch
        {
            "unknown role" => ok with { Members = [.. ok.Members, BundleTestKit.Member("screenshots", "a.png", "x")] },
            "duplicate name" => ok with { Members = [.. ok.Members, BundleTestKit.Member(BundleRoles.Other, "config.json", "{}")] },
            "duplicate name ignoring case" => ok with { Members = [.. ok.Members, BundleTestKit.Member(BundleRoles.Other, "CONFIG.json", "{}")] },
            "name clashing with a ledger member" => ok with { Members = [.. ok.Members, BundleTestKit.Member(BundleRoles.Other, "checkpoint.note", "x")], LedgerIndexes = [0] },
            "name with a slash" => ok with { Members = [BundleTestKit.Member(BundleRoles.Other, "a/b", "x")] },
            "name with a space" => ok with { Members = [BundleTestKit.Member(BundleRoles.Other, "a b", "x")] },
            "name dot-dot" => ok with { Members = [BundleTestKit.Member(BundleRoles.Other, "..", "x")] },
            "empty name" => ok with { Members = [BundleTestKit.Member(BundleRoles.Other, "", "x")] },
            "name of 201 characters" => ok with { Members = [BundleTestKit.Member(BundleRoles.Other, new string('a', 201), "x")] },
            "empty media type" => ok with { Members = [BundleTestKit.Member(BundleRoles.Other, "a", "x", "")] },
            "member in a ledger-built role" => ok with { Members = [BundleTestKit.Member(BundleRoles.LedgerEntries, "mine.jsonl", "{}\n")] },
            "event ref with a space" => ok with { EventRef = "deploy 42" },
            "empty event ref" => ok with { EventRef = "" },
            "event ref of 257 characters" => ok with { EventRef = new string('e', 257) },
            "unknown environment" => ok with { Environment = "Staging" },
            "empty created_by" => ok with { CreatedBy = "" },
            "created_by with a newline" => ok with { CreatedBy = "a\nb" },
            "empty bundle" => ok with { Members = [] },
            "negative ledger index" => ok with { LedgerIndexes = [-1] },
            "repeated ledger index" => ok with { LedgerIndexes = [1, 1] },
            "ledger index beyond the checkpoint" => ok with { LedgerIndexes = [0, 3] },
            "ledger indexes without a ledger" => ok with { LedgerIndexes = [0] },
            "10,001 members" => ok with { Members = [.. Enumerable.Range(0, 10_001).Select(i => BundleTestKit.Member(BundleRoles.Other, $"m{i}", ""))] },
            "member over 256 MiB" => ok with { Members = [new BundleMemberInput(BundleRoles.MarketData, "big.bin", "application/octet-stream", huge.Memory)] },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        var error = await Assert.ThrowsAsync<BundleException>(() =>
            kit.Writer.CreateAsync(request, @case == "ledger indexes without a ledger" ? null : ledger));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(before, await kit.ObjectCountAsync());
    }

    [Fact]
    public async Task Exactly_10000_members_are_allowed()
    {
        await using var kit = new BundleTestKit();
        var members = Enumerable.Range(0, 10_000).Select(i => BundleTestKit.Member(BundleRoles.Other, $"m{i:D5}", $"{i}")).ToList();
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(members), null);
        Assert.Equal(10_000, bundle.Manifest.Members.Count);
    }

    [Fact]
    public async Task Ledger_indexes_in_any_order_give_the_same_bundle()
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(4);
        var a = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [3, 0, 2]), ledger);
        var b = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [0, 2, 3]), ledger);
        Assert.Equal(a.ManifestSha256, b.ManifestSha256);
        Assert.Equal([0L, 2, 3], a.Manifest.Ledger!.Indexes);
    }
}
