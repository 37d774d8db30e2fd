using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Tests.Support;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Tests.Gates;

public sealed class VersionAuditGateTests
{
    [Fact]
    public async Task A_complete_release_passes_every_version_audit_check()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request);
        Assert.Equal(GateVerdict.Pass, evaluation.Verdict);
        Assert.Equal(["VA-01", "VA-02", "VA-03", "VA-04"], evaluation.Checks.Select(check => check.Id));
        Assert.All(evaluation.Checks, check => Assert.Equal(CheckVerdict.Pass, check.Verdict));
    }

    [Fact]
    public async Task Two_active_versions_of_one_document_return_the_release()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with
        {
            DocumentIndex = [.. Release.Documents, new IndexedDocument("RUNBOOK", "v4", "ACTIVE")],
        });
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
        var check = Release.Check(evaluation, "VA-01");
        Assert.Equal((CheckVerdict.Return, "GOV-DOCINDEX-DUPLICATE-ACTIVE"), (check.Verdict, Assert.Single(check.ReasonCodes)));
        Assert.Contains("RUNBOOK", check.Detail);
    }

    [Theory]
    [InlineData(false, "GOV-DOCINDEX-MISSING")]
    [InlineData(true, "GOV-DOCINDEX-NO-ACTIVE")]
    public async Task A_missing_index_or_a_document_without_an_active_version_returns_the_release(bool withIndex, string code)
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with
        {
            DocumentIndex = withIndex ? [.. Release.Documents, new IndexedDocument("PLAYBOOK", "v1", "DRAFT")] : null,
        });
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
        Assert.Equal([code], Release.Check(evaluation, "VA-01").ReasonCodes);
    }

    [Fact]
    public async Task An_unregistered_map_returns_the_release()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with { VersionMapId = "vm-never-registered" });
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
        Assert.Equal(["GOV-VMAP-MISSING"], Release.Check(evaluation, "VA-02").ReasonCodes);
        Assert.Equal(["GOV-CHANGE-LEDGER-MISSING"], Release.Check(evaluation, "VA-03").ReasonCodes);

        var noMap = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with { VersionMapId = null });
        Assert.Equal(["GOV-VMAP-MISSING"], Release.Check(noMap, "VA-02").ReasonCodes);
    }

    [Fact]
    public async Task A_map_registered_for_another_environment_returns_the_release()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world, DeploymentEnvironment.Paper);
        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request with { Environment = DeploymentEnvironment.Live });
        Assert.Equal(["GOV-VMAP-WRONG-ENVIRONMENT"], Release.Check(evaluation, "VA-02").ReasonCodes);
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
    }

    [Fact]
    public async Task A_map_known_to_the_table_but_not_to_the_ledger_returns_the_release()
    {
        await using var world = await World.OpenAsync();
        var map = World.Map(DeploymentEnvironment.Paper, code: "forged");
        var forged = LedgerEntry.Create(
            new LedgerEntryFields("version_map", $"vmap:{map.Id}", World.T0, "intruder", map.Id, "Paper", [map.Id]),
            new System.Text.Json.Nodes.JsonObject { ["map_id"] = map.Id, ["map"] = map.ToJson() });
        await world.Table.TryInsertAsync("vmaps", map.Id,
            System.Text.Json.JsonSerializer.Serialize(new { Entry = System.Text.Encoding.UTF8.GetString(forged.Bytes), Index = 0L }), CancellationToken.None);

        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, new GateRequest(DeploymentEnvironment.Paper, "rel-forged", map.Id, Release.Documents, null));
        Assert.Equal(CheckVerdict.Pass, Release.Check(evaluation, "VA-02").Verdict);
        Assert.Equal(["GOV-CHANGE-LEDGER-MISSING"], Release.Check(evaluation, "VA-03").ReasonCodes);
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
    }

    [Fact]
    public async Task An_object_store_that_cannot_be_written_returns_the_release()
    {
        await using var world = await World.OpenAsync();
        var release = await Release.RegisterAsync(world);
        world.Content.Fault = new IOException("blob storage down");
        var evaluation = await Release.EvaluateAsync(world, GateName.VersionAudit, release.Request);
        Assert.Equal(["GOV-REPLAY-SCHEMA"], Release.Check(evaluation, "VA-04").ReasonCodes);
        Assert.Equal(GateVerdict.Return, evaluation.Verdict);
    }
}
