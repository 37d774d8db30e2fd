namespace Tollgate.Workflows.Release;

/// <summary>The activities release orchestrations call; the host implements them (they reach governance, the ledger and the data plane).</summary>
public static class ReleaseActivityNames
{
    public const string Plan = "Release.Plan";
    public const string RunStage = "Release.RunStage";
    public const string RequestApproval = "Release.RequestApproval";
    public const string RecordStage = "Release.RecordStage";
    public const string RecordControl = "Release.RecordControl";
    public const string SetWeight = "Release.SetWeight";
    public const string Analyze = "Release.Analyze";
    public const string Complete = "Release.Complete";
    public const string RevertTraffic = "Release.RevertTraffic";
    public const string AwaitAcknowledgements = "Release.AwaitAcknowledgements";
    public const string VerifyHealth = "Release.VerifyHealth";
    public const string EngageKillSwitch = "Release.EngageKillSwitch";
    public const string OpenIncident = "Release.OpenIncident";
    public const string WriteDeployEvent = "Release.WriteDeployEvent";
}
