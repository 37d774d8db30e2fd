using System.Text.Json;
using System.Text.RegularExpressions;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Strategy.RuleProblemCodes;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// Reads a rule set and collects every problem on the way: a wrong field does not stop the rest of the rule, or the
/// other rules, from being checked. Wrong JSON kinds (an object for a number) are <c>STRAT-SCHEMA</c>; the right
/// kind with content that does not read (<c>"abc"</c> for a decimal, <c>1.5</c> for an integer) <c>STRAT-VALUE</c>.
/// </summary>
internal sealed partial class RuleSetReader(InstrumentTable universe)
{
    public const int MaxNameLength = 100;
    public const int MaxLimitOffsetTicks = 1000;
    public const decimal MaxPct = 50m;

    private static readonly string[] SetFields = ["name", "rules"];
    private static readonly string[] RuleFields =
        ["id", "market", "symbols", "when", "side", "type", "quantity", "limit_offset_ticks", "stop_loss_pct", "take_profit_pct", "cooldown_seconds", "max_open"];
    private static readonly string[] OptionalRuleFields = ["limit_offset_ticks", "stop_loss_pct", "take_profit_pct"];
    private static readonly string[] RequiredRuleFields = [.. RuleFields.Except(OptionalRuleFields)];
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public List<RuleProblem> Problems { get; } = [];

    public RuleSet? Read(string json)
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
                Add(Schema, "$", $"a rule set is a JSON object, not {Kind(root)}");
                return null;
            }
            var fields = Fields(root, "$", SetFields, SetFields);
            var name = String(fields, "name", "$");
            if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength))
                Add(Bounds, "$.name", $"1-{MaxNameLength} characters, not blank");
            var rules = new List<StrategyRule>();
            if (fields.TryGetValue("rules", out var array))
            {
                if (array.ValueKind != JsonValueKind.Array) Add(Schema, "$.rules", $"an array of rules, not {Kind(array)}");
                else
                {
                    var ids = new Dictionary<string, int>(StringComparer.Ordinal);
                    var index = 0;
                    foreach (var element in array.EnumerateArray())
                    {
                        if (Rule(element, $"$.rules[{index}]", index, ids) is { } rule) rules.Add(rule);
                        index++;
                    }
                }
            }
            return Problems.Count == 0 && name is not null ? new RuleSet(name, rules) : null;
        }
    }

    private StrategyRule? Rule(JsonElement element, string path, int index, Dictionary<string, int> ids)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Add(Schema, path, $"a rule is a JSON object, not {Kind(element)}");
            return null;
        }
        var before = Problems.Count;
        var fields = Fields(element, path, RuleFields, RequiredRuleFields);

        var id = String(fields, "id", path);
        if (id is not null)
        {
            if (!IdPattern().IsMatch(id)) Add(Bounds, $"{path}.id", $"'{id}' does not match ^[a-z0-9][a-z0-9-]{{0,39}}$");
            if (!ids.TryAdd(id, index)) Add(DuplicateId, $"{path}.id", $"'{id}' is already the id of $.rules[{ids[id]}]");
        }

        MarketKind? market = null;
        if (String(fields, "market", path) is { } marketText)
        {
            if (MarketKinds.TryParse(marketText, out var m)) market = m;
            else Add(Value, $"{path}.market", $"'{marketText}' is not a market (FUT, SPOT)");
        }
        var instruments = Symbols(fields, path, market);
        var when = Conditions(fields, path);

        OrderSide? side = String(fields, "side", path) switch
        {
            null => null,
            var s when s.Equals("BUY", StringComparison.OrdinalIgnoreCase) => OrderSide.Buy,
            var s when s.Equals("SELL", StringComparison.OrdinalIgnoreCase) => OrderSide.Sell,
            var s => Invalid<OrderSide>($"{path}.side", $"'{s}' is not a side (BUY, SELL)"),
        };
        OrderType? type = String(fields, "type", path) switch
        {
            null => null,
            var t when t.Equals("MARKET", StringComparison.OrdinalIgnoreCase) => OrderType.Market,
            var t when t.Equals("LIMIT", StringComparison.OrdinalIgnoreCase) => OrderType.Limit,
            var t => Invalid<OrderType>($"{path}.type", $"'{t}' is not an order type (MARKET, LIMIT)"),
        };

        var quantity = Decimal(fields, "quantity", path);
        if (quantity is { } q)
        {
            if (q <= 0) Add(Bounds, $"{path}.quantity", $"{q} is not above 0");
            else if (instruments is not null)
                foreach (var instrument in instruments)
                    if (!instrument.IsOnStep(q)) Add(Bounds, $"{path}.quantity", $"{q} is not a whole number of {instrument.Key}'s step {instrument.StepSize}");
        }

        var offset = Integer(fields, "limit_offset_ticks", path);
        var hasOffset = fields.ContainsKey("limit_offset_ticks");
        if (type == OrderType.Limit && !hasOffset) Add(Schema, $"{path}.limit_offset_ticks", "a LIMIT rule needs limit_offset_ticks (0 prices at the touch)");
        if (type == OrderType.Market && hasOffset) Add(Schema, $"{path}.limit_offset_ticks", "a MARKET rule has no limit price: limit_offset_ticks must be null or absent");
        if (offset is < -MaxLimitOffsetTicks or > MaxLimitOffsetTicks)
            Add(Bounds, $"{path}.limit_offset_ticks", $"{offset} is outside [-{MaxLimitOffsetTicks}, {MaxLimitOffsetTicks}]");

        var stopLoss = Pct(fields, "stop_loss_pct", path);
        var takeProfit = Pct(fields, "take_profit_pct", path);
        var cooldown = Integer(fields, "cooldown_seconds", path);
        if (cooldown < 0) Add(Bounds, $"{path}.cooldown_seconds", $"{cooldown} is below 0");
        var maxOpen = Integer(fields, "max_open", path);
        if (maxOpen < 1) Add(Bounds, $"{path}.max_open", $"{maxOpen} is below 1");

        if (Problems.Count != before) return null;
        return new StrategyRule(id!, market!.Value, instruments!, when!, side!.Value, type!.Value, quantity!.Value,
            offset, stopLoss, takeProfit, cooldown!.Value, maxOpen!.Value);
    }

    private List<Instrument>? Symbols(Dictionary<string, JsonElement> fields, string path, MarketKind? market)
    {
        if (!fields.TryGetValue("symbols", out var array)) return null;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Add(Schema, $"{path}.symbols", $"an array of symbols, not {Kind(array)}");
            return null;
        }
        if (array.GetArrayLength() == 0) Add(Schema, $"{path}.symbols", "at least one symbol");
        var instruments = new List<Instrument>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var at = $"{path}.symbols[{index++}]";
            if (element.ValueKind != JsonValueKind.String)
            {
                Add(Schema, at, $"a symbol is a string, not {Kind(element)}");
                continue;
            }
            var symbol = element.GetString()!;
            if (!seen.Add(symbol)) Add(DuplicateSymbol, at, $"{symbol} is listed twice");
            else if (market is { } m)
            {
                if (universe.Find(m, symbol) is { } instrument) instruments.Add(instrument);
                else Add(Symbol, at, $"{symbol} is not in the universe on {m.Code()}");
            }
        }
        instruments.Sort((a, b) => string.CompareOrdinal(a.Symbol, b.Symbol));
        return instruments;
    }

    private List<RuleCondition>? Conditions(Dictionary<string, JsonElement> fields, string path)
    {
        if (!fields.TryGetValue("when", out var array)) return null;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Add(Schema, $"{path}.when", $"an array of conditions, not {Kind(array)}");
            return null;
        }
        if (array.GetArrayLength() == 0) Add(Schema, $"{path}.when", "at least one condition: a rule that always fires is not a rule");
        var conditions = new List<RuleCondition>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var at = $"{path}.when[{index++}]";
            if (element.ValueKind != JsonValueKind.String) Add(Schema, at, $"a condition is a string, not {Kind(element)}");
            else if (RuleCondition.TryParse(element.GetString()!, at, Problems) is { } condition) conditions.Add(condition);
        }
        return conditions;
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

    private string? String(Dictionary<string, JsonElement> fields, string name, string path)
    {
        if (!fields.TryGetValue(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Add(Schema, $"{path}.{name}", $"a string, not {Kind(value)}");
        return null;
    }

    /// <summary>A decimal as a JSON string (<c>"0.002"</c>, preferred: no reader turns it into a double) or a plain JSON number.</summary>
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
        if (DecimalText.TryParse(text, out var result)) return result;
        Add(Value, $"{path}.{name}", $"'{text}' is not a plain decimal");
        return null;
    }

    private decimal? Pct(Dictionary<string, JsonElement> fields, string name, string path)
    {
        var pct = Decimal(fields, name, path);
        if (pct is { } p && (p <= 0 || p > MaxPct)) Add(Bounds, $"{path}.{name}", $"{p} is outside (0, {MaxPct}]");
        return pct;
    }

    private int? Integer(Dictionary<string, JsonElement> fields, string name, string path)
    {
        if (!fields.TryGetValue(name, out var value)) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt32(out var result):
                return result;
            case JsonValueKind.Number:
            case JsonValueKind.String:
                Add(Value, $"{path}.{name}", $"{value.GetRawText()} is not a JSON integer");
                return null;
            default:
                Add(Schema, $"{path}.{name}", $"an integer, not {Kind(value)}");
                return null;
        }
    }

    private T? Invalid<T>(string path, string message) where T : struct
    {
        Add(Value, path, message);
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

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,39}\z")] // \z, not $: a trailing newline is not allowed
    private static partial Regex IdPattern();
}
