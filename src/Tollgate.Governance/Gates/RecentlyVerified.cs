using System.Collections.Concurrent;

namespace Tollgate.Governance.Gates;

/// <summary>
/// Stored objects a check verified a moment ago (present, and hashing to their name). Objects are content-addressed and
/// written once (WORM in Azure), so a verified one stays verified; it is re-read after <see cref="Lifetime"/> anyway, so a
/// deletion behind Tollgate's back is noticed within a minute while a burst of evaluations does not re-read it each time.
/// </summary>
public sealed class RecentlyVerified(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, DateTimeOffset> verified = new(StringComparer.Ordinal);

    public bool Holds(string name) => verified.TryGetValue(name, out var at) && clock.GetUtcNow() - at < Lifetime;

    public void Remember(string name) => verified[name] = clock.GetUtcNow();
}
