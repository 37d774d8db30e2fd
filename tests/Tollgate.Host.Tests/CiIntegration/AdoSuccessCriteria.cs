using System.Text.Json;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>
/// The little of Azure Pipelines' expression language a <c>successCriteria</c> over an ApiResponse uses:
/// <c>eq</c>, <c>ne</c>, <c>and</c>, <c>or</c>, <c>not</c>, <c>root['member']['member']</c> and <c>'string'</c> literals.
/// Strings compare ordinal and ignoring case, as Azure Pipelines' <c>eq</c> does; a missing member is null.
/// </summary>
public static class AdoSuccessCriteria
{
    /// <summary>True when the task would pass: the status was 200 and the criteria hold on the body.</summary>
    public static bool TaskPasses(int status, string body, string criteria)
    {
        if (status != 200) return false;
        using var document = JsonDocument.Parse(body);
        return Evaluate(criteria, document.RootElement);
    }

    public static bool Evaluate(string criteria, JsonElement root)
    {
        var parser = new Parser(criteria, root);
        var value = parser.Expression();
        parser.End();
        return value is true;
    }

    private sealed class Parser(string text, JsonElement root)
    {
        private int at;

        public object? Expression()
        {
            Skip();
            if (Peek('\'')) return Literal();
            var name = Name();
            if (name == "root") return Path();
            Expect('(');
            var arguments = new List<object?> { Expression() };
            while (TryTake(',')) arguments.Add(Expression());
            Expect(')');
            return name switch
            {
                "eq" when arguments.Count == 2 => Same(arguments[0], arguments[1]),
                "ne" when arguments.Count == 2 => !Same(arguments[0], arguments[1]),
                "and" when arguments.Count >= 2 => arguments.All(argument => argument is true),
                "or" when arguments.Count >= 2 => arguments.Any(argument => argument is true),
                "not" when arguments.Count == 1 => arguments[0] is not true,
                _ => throw new FormatException($"Unknown function or arity: {name}/{arguments.Count}."),
            };
        }

        public void End()
        {
            Skip();
            if (at != text.Length) throw new FormatException($"Unexpected '{text[at..]}'.");
        }

        private object? Path()
        {
            JsonElement? current = root;
            while (TryTake('['))
            {
                var member = (string)Literal()!;
                Expect(']');
                current = current is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(member, out var found) ? found : null;
            }
            return current switch
            {
                { ValueKind: JsonValueKind.String } value => value.GetString(),
                { ValueKind: JsonValueKind.True } => true,
                { ValueKind: JsonValueKind.False } => false,
                { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
                _ => null,
            };
        }

        private static bool Same(object? left, object? right) => (left, right) switch
        {
            (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
            (null, null) => true,
            (null, _) or (_, null) => false,
            _ => Equals(left, right),
        };

        private string Literal()
        {
            Skip();
            Expect('\'');
            var end = text.IndexOf('\'', at);
            if (end < 0) throw new FormatException("Unterminated string.");
            var value = text[at..end];
            at = end + 1;
            return value;
        }

        private string Name()
        {
            var start = at;
            while (at < text.Length && char.IsAsciiLetter(text[at])) at++;
            return at > start ? text[start..at] : throw new FormatException($"Expected a name at {start}.");
        }

        private void Skip()
        {
            while (at < text.Length && text[at] == ' ') at++;
        }

        private bool Peek(char c) => at < text.Length && text[at] == c;

        private bool TryTake(char c)
        {
            Skip();
            if (!Peek(c)) return false;
            at++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryTake(c)) throw new FormatException($"Expected '{c}' at {at}.");
        }
    }
}
