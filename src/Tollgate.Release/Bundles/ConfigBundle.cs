using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>
/// A config release's unit (seed 002 Phase 5, issue 8 item 2): the strategy rules (the rule set JSON as it is), the
/// factors that transform them (<see cref="BundleFactors"/>) and the symbol universe the bundle may trade. Built only
/// by <see cref="Parse"/>, so every bundle in hand has linted. Two revs: <see cref="Rev"/> names the bundle document,
/// <see cref="EffectiveRules"/>' rev names what trades and is the config version a version map names.
/// </summary>
public sealed class ConfigBundle
{
    /// <summary>The format version this build reads and writes (the bundle's <c>"bundle"</c> field).</summary>
    public const int Format = 1;

    private static readonly JsonWriterOptions CanonicalOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal ConfigBundle(IReadOnlyList<Instrument> universe, InstrumentTable universeTable, IReadOnlyList<BundleFactor> factors, RuleSet rules, RuleSet effectiveRules)
    {
        Universe = universe;
        UniverseTable = universeTable;
        Factors = factors;
        Rules = rules;
        EffectiveRules = effectiveRules;
        SizeMult = factors.FirstOrDefault(f => f.Name == BundleFactors.SizeMult)?.Value ?? 1m;
        Canonical = Write(universe, factors, rules);
        Rev = "bundle-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)))[..16];
    }

    /// <summary>The instruments the bundle may trade, ordered by key; with the exchange's filters when it was linted against an exchange table, else with none (0).</summary>
    public IReadOnlyList<Instrument> Universe { get; }
    /// <summary>Its factors, ordered by name.</summary>
    public IReadOnlyList<BundleFactor> Factors { get; }
    /// <summary>The <see cref="BundleFactors.SizeMult"/> value; 1 when the bundle has none.</summary>
    public decimal SizeMult { get; }
    /// <summary>The rules as the bundle holds them, before any factor.</summary>
    public RuleSet Rules { get; }
    /// <summary>The rules with the factors applied: what trades. Its <see cref="RuleSet.Rev"/> is the config version.</summary>
    public RuleSet EffectiveRules { get; }
    /// <summary>
    /// Compact JSON in one form: <c>bundle</c>, <c>universe</c> (keys sorted), <c>factors</c> (by name; each value,
    /// min, max as decimals without trailing zeros; <c>{}</c> when none), <c>rules</c> (<see cref="RuleSet.Canonical"/>).
    /// It parses back to the same bundle and rev, so it is what a content store keeps.
    /// </summary>
    public string Canonical { get; }
    /// <summary><c>bundle-</c> and the first 16 hex digits of SHA-256 of <see cref="Canonical"/> (UTF-8), as rule sets compute <c>rules-</c> revs.</summary>
    public string Rev { get; }

    /// <summary>The universe as the table the rules were linted against.</summary>
    internal InstrumentTable UniverseTable { get; }

    /// <summary>
    /// Reads and lints <paramref name="json"/>. With <paramref name="exchange"/> (the routed instruments, or a capture's),
    /// every universe entry must be on it and the rules are checked against its filters (quantities on the step); without
    /// it the universe is taken as written and no filter is checked, and since the size multiplier is then not rounded to
    /// a step the effective rev can differ from the one computed against the exchange: a version map's config is computed
    /// with the exchange table.
    /// </summary>
    /// <exception cref="BundleLintException">Every problem found (codes in <see cref="BundleReasons"/> and <see cref="RuleProblemCodes"/>).</exception>
    public static ConfigBundle Parse(string json, InstrumentTable? exchange = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new ConfigBundleReader(exchange);
        var bundle = reader.Read(json);
        return reader.Problems.Count > 0 || bundle is null ? throw new BundleLintException(reader.Problems) : bundle;
    }

    /// <summary>The same bundle linted against <paramref name="exchange"/>: what a simulation replays under that capture's filters.</summary>
    /// <exception cref="BundleLintException">The bundle does not lint against those instruments (one missing, a quantity off its step).</exception>
    public ConfigBundle Bind(InstrumentTable exchange) => Parse(Canonical, exchange);

    /// <summary>The effective rules with the size multiplier and one threshold as given, or null with why not (outside the format's bounds, a quantity that rounds to nothing).</summary>
    internal RuleSet? TryVary(decimal sizeMult, ThresholdChange? change, List<BundleProblem> problems) =>
        RuleTransforms.TryBuild(Rules, UniverseTable, sizeMult, change, problems);

    public override string ToString() => $"{Rev} ({EffectiveRules.Rev}, {Universe.Count} instrument(s), {Factors.Count} factor(s))";

    private static string Write(IReadOnlyList<Instrument> universe, IReadOnlyList<BundleFactor> factors, RuleSet rules)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, CanonicalOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("bundle"u8, Format);
            json.WriteStartArray("universe"u8);
            foreach (var instrument in universe) json.WriteStringValue(instrument.Key);
            json.WriteEndArray();
            json.WriteStartObject("factors"u8);
            foreach (var factor in factors)
            {
                json.WriteStartObject(factor.Name);
                json.WriteString("value"u8, PlainDecimal.Canonical(factor.Value));
                json.WriteString("min"u8, PlainDecimal.Canonical(factor.Min));
                json.WriteString("max"u8, PlainDecimal.Canonical(factor.Max));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WritePropertyName("rules"u8);
            json.WriteRawValue(rules.Canonical, skipInputValidation: true);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
