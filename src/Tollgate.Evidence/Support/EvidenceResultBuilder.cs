using System.Collections.ObjectModel;

namespace Tollgate.Evidence;

/// <summary>
/// Collects the failures and facts of one check. Checks keep going after a failure where the
/// remaining checks still mean something, so one run reports every problem, not only the first.
/// </summary>
internal sealed class EvidenceResultBuilder(string check)
{
    private readonly List<string> _codes = [];
    private readonly List<string> _messages = [];
    private readonly SortedDictionary<string, string> _facts = new(StringComparer.Ordinal);

    public bool HasFailures => _codes.Count > 0;

    public bool Has(string code) => _codes.Contains(code, StringComparer.Ordinal);

    public void Fail(string code, string message)
    {
        if (!EvidenceReasonCodes.Meanings.ContainsKey(code))
        {
            // A code outside the catalogue would reach the ledger undocumented; that is a bug here.
            throw new InvalidOperationException($"reason code {code} is not in {nameof(EvidenceReasonCodes)}");
        }

        if (!Has(code))
        {
            _codes.Add(code);
        }

        _messages.Add($"{code}: {message}");
    }

    public void Fact(string key, string value) => _facts[key] = value;

    public void Fact(string key, long value) => _facts[key] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Fact(string key, decimal value) => _facts[key] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string FactOrEmpty(string key) => _facts.GetValueOrDefault(key, "");

    public EvidenceResult Build(string passSummary) => new(
        check,
        _codes.Count == 0,
        _codes.ToArray(),
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(_facts, StringComparer.Ordinal)),
        _codes.Count == 0 ? passSummary : string.Join("; ", _messages));
}
