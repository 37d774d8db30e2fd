namespace Tollgate.Markets.Strategy;

/// <summary>One thing wrong with a rule set: a stable code, where it is (<c>$.rules[0].when[1]</c>) and what is wrong.</summary>
public sealed record RuleProblem(string Code, string Path, string Message)
{
    public override string ToString() => $"{Code} at {Path}: {Message}";
}

/// <summary>The codes a rule set lint reports. They are written into refusals and never change.</summary>
public static class RuleProblemCodes
{
    /// <summary>Not JSON, a field of the wrong JSON kind, a required field missing, a field twice, a condition that is not <c>feature op value</c>.</summary>
    public const string Schema = "STRAT-SCHEMA";
    /// <summary>A field the format does not have (a typo is refused, never ignored).</summary>
    public const string UnknownField = "STRAT-UNKNOWN-FIELD";
    /// <summary>A condition names a feature the strategy does not know.</summary>
    public const string Feature = "STRAT-FEATURE";
    /// <summary>A condition's operator is not one of &lt; &lt;= &gt; &gt;= == != (regime: == != only).</summary>
    public const string Operator = "STRAT-OPERATOR";
    /// <summary>A value of the right kind that does not read: not a plain decimal, not an integer, an unknown side, type, market or regime.</summary>
    public const string Value = "STRAT-VALUE";
    /// <summary>A value out of its bounds: quantity, percentages, cooldown, max_open, limit offset, id or name length and form.</summary>
    public const string Bounds = "STRAT-BOUNDS";
    /// <summary>A symbol that is not in the universe on the rule's market.</summary>
    public const string Symbol = "STRAT-SYMBOL";
    /// <summary>A rule lists one symbol twice.</summary>
    public const string DuplicateSymbol = "STRAT-DUPLICATE-SYMBOL";
    /// <summary>Two rules share an id.</summary>
    public const string DuplicateId = "STRAT-DUPLICATE-ID";

    public static readonly IReadOnlyList<string> All = [Schema, UnknownField, Feature, Operator, Value, Bounds, Symbol, DuplicateSymbol, DuplicateId];
}

/// <summary>A rule set that does not lint: every problem found, not only the first.</summary>
public sealed class RuleSetException(IReadOnlyList<RuleProblem> problems)
    : FormatException($"the rule set has {problems.Count} problem(s): {string.Join("; ", problems)}")
{
    public IReadOnlyList<RuleProblem> Problems { get; } = problems;
}
