using System.Text.Json;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;
using static Tollgate.Release.Bundles.BundleReasons;

namespace Tollgate.Release.Bundles;

/// <summary>
/// Reads a config bundle and collects every problem on the way, as the rule set reader does: a wrong factor does not
/// stop the universe or the rules from being checked. Wrong JSON kinds are <c>BUNDLE-SCHEMA</c>; a decimal of the
/// right kind that is not a finite plain decimal is <c>BUNDLE-BOUNDS</c> (it is outside every range a factor can have).
/// </summary>
internal sealed class ConfigBundleReader(InstrumentTable? exchange)
{
    private static readonly string[] BundleFields = ["bundle", "universe", "factors", "rules"];
    private static readonly string[] RequiredBundleFields = ["bundle", "universe", "rules"];
    private static readonly string[] FactorFields = ["value", "min", "max"];
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public List<BundleProblem> Problems { get; } = [];

    public ConfigBundle? Read(string json)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, DocumentOptions); }
        catch (JsonException e)
        {
            Add(Schema, "$", $"not JSON: {e.Message}");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add(Schema, "$", $"a config bundle is a JSON object, not {Kind(root)}");
                return null;
            }
            var fields = Fields(root, "$", BundleFields, RequiredBundleFields);
            if (fields.TryGetValue("bundle", out var format) && !(format.ValueKind == JsonValueKind.Number && format.TryGetInt32(out var version) && version == ConfigBundle.Format))
                Add(Schema, "$.bundle", $"{format.GetRawText()} is not a bundle format this build reads ({ConfigBundle.Format})");
            var universe = ReadUniverse(fields);
            var factors = ReadFactors(fields);
            var rules = ReadRules(fields, universe);
            if (Problems.Count > 0 || universe is null || rules is null) return null;

            var table = new InstrumentTable(universe);
            var sizeMult = factors.FirstOrDefault(f => f.Name == BundleFactors.SizeMult)?.Value ?? 1m;
            var effective = RuleTransforms.TryBuild(rules, table, sizeMult, null, Problems);
            return effective is null ? null : new ConfigBundle(universe, table, factors, rules, effective);
        }
    }

    /// <summary>The universe's instruments ordered by key, or null when the field is missing, not an array or empty (the rules' symbols then cannot be judged).</summary>
    private List<Instrument>? ReadUniverse(Dictionary<string, JsonElement> fields)
    {
        if (!fields.TryGetValue("universe", out var array)) return null;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Add(Schema, "$.universe", $"an array of instrument keys (\"SPOT:BTCUSDT\"), not {Kind(array)}");
            return null;
        }
        if (array.GetArrayLength() == 0)
        {
            Add(Schema, "$.universe", "at least one instrument: a bundle that may trade nothing is not a release");
            return null;
        }
        var instruments = new List<Instrument>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var at = $"$.universe[{index++}]";
            if (element.ValueKind != JsonValueKind.String)
            {
                Add(Schema, at, $"an instrument key is a string, not {Kind(element)}");
                continue;
            }
            var key = element.GetString()!;
            if (KeyInstrument(key) is not { } instrument) Add(Universe, at, $"'{key}' is not an instrument key MARKET:SYMBOL (SPOT or FUT, 1-20 letters and digits)");
            else if (!seen.Add(instrument.Key)) Add(Universe, at, $"{instrument.Key} is listed twice");
            else if (exchange is not null && exchange.Find(instrument.Key) is null) Add(Universe, at, $"{instrument.Key} is not on the exchange");
            else instruments.Add(exchange?.Find(instrument.Key) ?? instrument);
        }
        instruments.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return instruments;
    }

    /// <summary>An instrument named by its key, with no filters (tick, step and minimum notional unknown, 0); null when the key does not read.</summary>
    private static Instrument? KeyInstrument(string key)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0 || !MarketKinds.TryParse(key.AsSpan(0, colon), out var market)) return null;
        try { return new Instrument(market, key[(colon + 1)..], 0, 0, 0); }
        catch (ArgumentException) { return null; }
    }

    private List<BundleFactor> ReadFactors(Dictionary<string, JsonElement> fields)
    {
        var factors = new List<BundleFactor>();
        if (!fields.TryGetValue("factors", out var obj)) return factors;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            Add(Schema, "$.factors", $"an object of factors by name, not {Kind(obj)}");
            return factors;
        }
        var named = Fields(obj, "$.factors", [.. BundleFactors.Known], []);
        foreach (var (name, element) in named.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = $"$.factors.{name}";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Add(Schema, path, $"a factor is an object with value, min and max, not {Kind(element)}");
                continue;
            }
            var before = Problems.Count;
            var parts = Fields(element, path, FactorFields, FactorFields);
            var (value, min, max) = (Decimal(parts, "value", path), Decimal(parts, "min", path), Decimal(parts, "max", path));
            if (min is { } lo && max is { } hi && lo > hi) Add(Bounds, $"{path}.min", $"min {PlainDecimal.Canonical(lo)} is above max {PlainDecimal.Canonical(hi)}");
            else if (value is { } v && min is { } low && max is { } high && (v < low || v > high))
                Add(Bounds, $"{path}.value", $"{PlainDecimal.Canonical(v)} is outside its declared [{PlainDecimal.Canonical(low)}, {PlainDecimal.Canonical(high)}]");
            if (name == BundleFactors.SizeMult && min is <= 0m) Add(Bounds, $"{path}.min", "a size multiplier is above 0 over its whole range");
            if (Problems.Count == before) factors.Add(new BundleFactor(name, value!.Value, min!.Value, max!.Value));
        }
        return factors;
    }

    /// <summary>
    /// The rules linted by <see cref="RuleSet.Parse"/> against the bundle's universe, their problems passed through under
    /// <c>$.rules</c>. With no readable universe the symbols cannot be judged, so only that problem is reported for them.
    /// </summary>
    private RuleSet? ReadRules(Dictionary<string, JsonElement> fields, List<Instrument>? universe)
    {
        if (!fields.TryGetValue("rules", out var rules)) return null;
        try { return RuleSet.Parse(rules.GetRawText(), new InstrumentTable(universe ?? [])); }
        catch (RuleSetException refused)
        {
            foreach (var problem in refused.Problems)
                if (universe is not null || problem.Code != RuleProblemCodes.Symbol) Problems.Add(RuleTransforms.FromRules(problem));
            return null;
        }
    }

    /// <summary>The fields of an object by name; unknown and repeated fields are problems, and a null is the same as absent.</summary>
    private Dictionary<string, JsonElement> Fields(JsonElement obj, string path, string[] known, string[] required)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
                Add(UnknownField, $"{path}.{property.Name}", $"unknown field (known: {string.Join(", ", known)})");
            else if (!fields.TryAdd(property.Name, property.Value))
                Add(Schema, $"{path}.{property.Name}", "the field is given twice");
        }
        foreach (var (name, value) in fields.ToList())
            if (value.ValueKind == JsonValueKind.Null) fields.Remove(name);
        foreach (var name in required)
            if (!fields.ContainsKey(name)) Add(Schema, $"{path}.{name}", "required field is missing");
        return fields;
    }

    /// <summary>A decimal as a JSON string (<c>"1.5"</c>, preferred) or a plain JSON number; NaN, infinities, exponents and overflow are not finite plain decimals.</summary>
    private decimal? Decimal(Dictionary<string, JsonElement> fields, string name, string path)
    {
        if (!fields.TryGetValue(name, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            Add(Schema, $"{path}.{name}", $"a decimal (string or number), not {Kind(value)}");
            return null;
        }
        if (PlainDecimal.TryParse(text, out var result)) return result;
        Add(Bounds, $"{path}.{name}", $"'{text}' is not a finite plain decimal");
        return null;
    }

    private void Add(string code, string path, string message) => Problems.Add(new(code, path, message));

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
