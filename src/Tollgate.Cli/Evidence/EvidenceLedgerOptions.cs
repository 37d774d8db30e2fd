using System.CommandLine;
using System.Text.Json.Nodes;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;

namespace Tollgate.Cli.Evidence;

/// <summary>
/// The options every <c>tollgate evidence</c> command shares (given on <c>evidence</c> or after the subcommand):
/// who and where the ledger entry names, and <c>--no-ledger</c>.
/// </summary>
internal sealed class EvidenceLedgerOptions
{
    public Option<string?> Actor { get; } = new("--actor")
    {
        Description = "Who ran the check, as the ledger entry names it (default: the token's subject; the host refuses any other).",
        Recursive = true,
    };

    public Option<string?> Correlation { get; } = new("--correlation")
    {
        Description = "The ledger correlation id tying this entry to a release or drill (default: evidence-<check>).",
        Recursive = true,
    };

    public Option<string?> Environment { get; } = new("--environment")
    {
        Description = $"The environment the evidence is about: {string.Join(", ", LedgerEnvironments.All)} (default: none).",
        Recursive = true,
    };

    public Option<bool> NoLedger { get; } = new("--no-ledger")
    {
        Description = "Only run and print the check; write nothing to the audit ledger.",
        Recursive = true,
    };

    public EvidenceLedgerOptions() => Environment.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. LedgerEnvironments.All]);

    public IEnumerable<Option> All => [Actor, Correlation, Environment, NoLedger];

    /// <summary>
    /// The envelope the entry will carry, checked against the ledger's own rules before any check runs, so a bad
    /// <c>--actor</c> or <c>--correlation</c> is refused (exit 2) with nothing checked or recorded.
    /// </summary>
    public EvidenceLedgerTarget Read(ParseResult parse, CliContext context)
    {
        var actor = parse.GetValue(Actor) ?? CliToken.Subject(CliToken.Of(parse, context)) ?? DefaultActor();
        var correlation = parse.GetValue(Correlation);
        var environment = parse.GetValue(Environment) is { } named
            ? LedgerEnvironments.All.First(known => string.Equals(known, named, StringComparison.OrdinalIgnoreCase))
            : null;
        try
        {
            // A throwaway entry: LedgerEntry enforces the actor and correlation id rules in one place.
            LedgerEntry.Create(new LedgerEntryFields(LedgerKinds.Evidence.Name, "evidence:probe", new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    actor, correlation ?? "evidence-probe", environment, []),
                new JsonObject { ["check"] = "probe", ["passed"] = true, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject() });
        }
        catch (LedgerException invalid)
        {
            throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--actor or --correlation cannot go into a ledger entry: {invalid.Message}");
        }
        return new EvidenceLedgerTarget(actor, correlation, environment, parse.GetValue(NoLedger));
    }

    private static string DefaultActor()
    {
        string user;
        try { user = System.Environment.UserName; }
        catch (InvalidOperationException) { user = ""; }
        return "cli:" + (string.IsNullOrWhiteSpace(user) ? "unknown" : user.Trim());
    }
}

/// <summary>Where one check's result goes: the envelope of its ledger entry, or nowhere (<see cref="NoLedger"/>).</summary>
/// <param name="Correlation">The given correlation id, or null for <c>evidence-&lt;check&gt;</c>.</param>
internal sealed record EvidenceLedgerTarget(string Actor, string? Correlation, string? Environment, bool NoLedger)
{
    public string CorrelationFor(string check) => Correlation ?? $"evidence-{check}";
}
