using System.Text.RegularExpressions;

namespace Tollgate.Governance;

/// <summary>The syntax every reason code shares, whoever coins it: <c>EXE-KILL-01</c>, <c>RISK_LIMIT</c>, <c>UI.TRACE</c>.</summary>
public static partial class ReasonCode
{
    public static bool IsValid(string code) => Pattern().IsMatch(code);

    // \z, not $: $ also matches before a final newline, which would let "RISK\n" through.
    [GeneratedRegex(@"^[A-Z][A-Z0-9_.-]{1,63}\z")]
    private static partial Regex Pattern();
}
