using Tollgate.Durable;
using Tollgate.Workflows.Release;
using Tollgate.Workflows.Tour;

namespace Tollgate.Workflows;

/// <summary>The one list of Tollgate's orchestrators and activities; hosts register them from here.</summary>
public static class Workflows
{
    public static DurableTaskRegistry AddTollgateWorkflows(this DurableTaskRegistry registry)
    {
        EngineTour.Register(registry);
        DeployPipeline.Register(registry);
        CanaryProgression.Register(registry);
        ReleaseRollback.Register(registry);
        return registry;
    }
}
