using Tollgate.Markets.Features;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// The rules in force on one host: the stable rule set, and during a canary the candidate's with the split that says
/// which decisions it makes. Swapped whole (read-copy-update), so every decision is made under exactly one selection
/// and one rule set: no decision sees half of a change.
/// </summary>
/// <param name="Stable">The Active Version Map's rules.</param>
/// <param name="Canary">The canary map's rules, loaded (staged at weight 0) or serving a share; null without a canary.</param>
/// <param name="IsCanary">Given the instrument key and the decision key (<c>{instrument}:{update id}</c>), whether the canary decides.</param>
/// <param name="Epoch">The traffic-split record this selection follows (0: none), which the host acknowledges.</param>
public sealed record RuleSelection(RuleStrategy Stable, RuleStrategy? Canary, Func<string, string, bool> IsCanary, long Epoch)
{
    public static RuleSelection StableOnly(RuleStrategy stable, long epoch = 0) => new(stable, null, static (_, _) => false, epoch);

    /// <summary>The rule set that decides this event.</summary>
    public RuleStrategy For(in FeatureEvent features)
        => Canary is { } canary && IsCanary(features.Instrument.Key, $"{features.Instrument.Key}:{features.UpdateId}") ? canary : Stable;
}
