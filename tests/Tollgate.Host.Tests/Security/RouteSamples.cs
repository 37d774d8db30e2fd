using System.Text.RegularExpressions;

namespace Tollgate.Host.Tests.Security;

/// <summary>A concrete request path for a route template: each parameter filled with a plausible value.</summary>
public static partial class RouteSamples
{
    private static readonly string Zeros = new('0', 64);

    /// <summary>What each route parameter the host uses is filled with; a new parameter name fails the test that meets it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["environment"] = "Research",
        ["gate"] = "VERSION_AUDIT",
        ["id"] = "x",
        ["index"] = "0",
        ["size"] = "0",
        ["hash"] = Zeros,
        ["sha256"] = Zeros,
        ["name"] = "EngineTour",
        ["eventName"] = "e",
        ["market"] = "SPOT",
        ["symbol"] = "BTCUSDT",
        ["intentId"] = "intent-1",
        ["action"] = "pause",
    };

    /// <summary><c>/api/</c> + the route with every <c>{parameter}</c> (constraints and all) replaced.</summary>
    /// <exception cref="KeyNotFoundException">The route has a parameter <see cref="Values"/> does not know.</exception>
    public static string PathFor(string route) => "/api/" + Parameter().Replace(route, match =>
        Values.TryGetValue(match.Groups["name"].Value, out var value)
            ? value
            : throw new KeyNotFoundException($"Route '{route}' has a parameter '{match.Groups["name"].Value}' RouteSamples has no value for; add one."));

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
