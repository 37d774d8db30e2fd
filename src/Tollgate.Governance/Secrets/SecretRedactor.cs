using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Governance.Secrets;

/// <summary>
/// Every secret value this process has loaded, and the one place text is cleaned of them: log lines, error
/// messages and ledger entries pass through here (seed 000 §8.1: keys never reach logs, UI or error messages).
/// </summary>
/// <remarks>
/// A value is registered as it is loaded, with the forms it could be written in (as is, JSON-escaped as
/// System.Text.Json escapes it, and as canonical JSON escapes it, which is how ledger entries hold it). Values
/// shorter than <see cref="MinimumLength"/> are refused: redacting a short common string would garble every log.
/// </remarks>
public sealed class SecretRedactor
{
    public const int MinimumLength = 12;
    public const string Mask = "[REDACTED]";

    private readonly object gate = new();
    private string[] values = [];
    private byte[][] utf8 = [];

    /// <summary>Registers a secret value; a PEM key also by each line of its base64 body, which is how it would leak in pieces.</summary>
    /// <exception cref="ArgumentException">The value is shorter than <see cref="MinimumLength"/> characters.</exception>
    public void Register(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinimumLength)
            throw new ArgumentException($"A secret must be at least {MinimumLength} characters; a shorter one is a password anyone could guess.", nameof(secret));
        var pieces = new List<string> { secret, secret.Trim() };
        if (secret.Contains("-----BEGIN", StringComparison.Ordinal))
            pieces.AddRange(secret.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(line => !line.StartsWith("-----", StringComparison.Ordinal) && line.Length >= MinimumLength));
        var forms = pieces.SelectMany(piece => new[] { piece, System.Text.Json.JsonEncodedText.Encode(piece).ToString(), Canonical(piece) }).Distinct().ToArray();
        lock (gate)
        {
            // Longest first, so a secret containing another is masked whole.
            values = [.. values.Concat(forms).Distinct().OrderByDescending(value => value.Length)];
            utf8 = [.. values.Select(Encoding.UTF8.GetBytes)];
        }
    }

    public int Count => Volatile.Read(ref values).Length;

    /// <summary>
    /// The value inside a canonical (RFC 8785) JSON string, quotes stripped: only '"', '\' and controls escaped, '"' as
    /// <c>\"</c> where System.Text.Json writes <c>\u0022</c>.
    /// </summary>
    private static string Canonical(string secret)
    {
        var quoted = JsonCanonicalizer.Canonicalize(JsonValue.Create(secret));
        return Encoding.UTF8.GetString(quoted, 1, quoted.Length - 2);
    }

    /// <summary><paramref name="text"/> with every registered secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var value in Volatile.Read(ref values))
        {
            if (text.Contains(value, StringComparison.Ordinal)) text = text.Replace(value, Mask, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Whether UTF-8 <paramref name="bytes"/> hold any registered secret.</summary>
    public bool Finds(ReadOnlySpan<byte> bytes)
    {
        foreach (var value in Volatile.Read(ref utf8))
        {
            if (bytes.IndexOf(value) >= 0) return true;
        }
        return false;
    }
}
