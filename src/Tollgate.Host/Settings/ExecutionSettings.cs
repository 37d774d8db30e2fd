using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tollgate.Governance.Environments;
using Tollgate.Markets.Risk;

namespace Tollgate.Host.Settings;

/// <summary>
/// The order path (<c>Tollgate:Execution:*</c>). Off unless <c>Environment</c> is Paper or Live and the market plane
/// is on. Paper routes to the Paper channel (fills simulated against the live books); Live to Binance with the
/// API key and secret named by <c>Tollgate:Execution:ApiKeySecret</c> / <c>ApiSecretSecret</c> in the secret store.
/// The strategy's rules are the <c>rules</c> artifact of the environment's Active Version Map.
/// </summary>
public sealed record ExecutionSettings
{
    public DeploymentEnvironment? Environment { get; init; }

    /// <summary><c>InFlightSeconds</c>: how long an order may stay SUBMITTED before it is queried; default 2.</summary>
    public TimeSpan InFlightAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>ReconcileCron</c>: when reconciliation runs besides startup and <c>POST /api/reconcile</c>; default every 10 minutes (seed 002: 10-15 min).</summary>
    public string ReconcileCron { get; init; } = "0 */10 * * * *";

    /// <summary><c>MinAgreement</c>: the Jaccard agreement below which reconciliation fails (EXE-RECON-FAIL); default 0.95.</summary>
    public decimal MinAgreement { get; init; } = 0.95m;

    /// <summary><c>Risk:*</c>: the limits each routed instrument gets.</summary>
    public RiskLimits Risk { get; init; } = new(MaxOrderQuantity: 10m, MaxOrderNotional: 50_000m, CollarBps: 50m, MaxOrdersPerSecond: 20,
        MaxPositionQuantity: 20m, MaxConcurrentPositions: 1, Leverage: 5m, DuplicateWindow: TimeSpan.FromSeconds(1));

    /// <summary><c>Risk:GlobalOrdersPerSecond</c>, <c>Risk:MarginBudget</c>.</summary>
    public GlobalRiskLimits GlobalRisk { get; init; } = new(MaxOrdersPerSecond: 100, MarginBudget: 100_000m);

    /// <summary><c>StopLossPct</c> / <c>TakeProfitPct</c>: a futures position's fixed SL/TP when its opening intent names none; default 2% / 4%.</summary>
    public decimal StopLossFraction { get; init; } = 0.02m;
    public decimal TakeProfitFraction { get; init; } = 0.04m;

    /// <summary><c>ApiKeySecret</c> / <c>ApiSecretSecret</c>: the names of the Binance API key and HMAC secret in the secret store (Live only).</summary>
    public string ApiKeySecret { get; init; } = "binance-api-key";
    public string ApiSecretSecret { get; init; } = "binance-api-secret";

    /// <summary>
    /// <c>RulesPollMs</c>: how often the host reads the Active Version Map and the traffic split for changes made by
    /// other hosts (changes made in this process apply at once); default 250 ms, so a rollback is acknowledged well
    /// within a second.
    /// </summary>
    public TimeSpan RulesPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public bool Enabled => Environment is not null;

    public static ExecutionSettings Load(IConfiguration configuration)
    {
        string? Value(string name) => configuration[$"Tollgate:Execution:{name}"] is { Length: > 0 } v ? v : null;
        var environment = Value("Environment") is { } e
            ? Enum.TryParse<DeploymentEnvironment>(e, ignoreCase: true, out var env) && env is DeploymentEnvironment.Paper or DeploymentEnvironment.Live ? env
                : throw new InvalidOperationException($"Tollgate:Execution:Environment '{e}' must be Paper or Live (unset: the order path is off).")
            : (DeploymentEnvironment?)null;
        var defaults = new ExecutionSettings();
        var risk = defaults.Risk with
        {
            MaxOrderQuantity = Number(Value("Risk:MaxOrderQuantity"), "Risk:MaxOrderQuantity") ?? defaults.Risk.MaxOrderQuantity,
            MaxOrderNotional = Number(Value("Risk:MaxOrderNotional"), "Risk:MaxOrderNotional") ?? defaults.Risk.MaxOrderNotional,
            CollarBps = Number(Value("Risk:CollarBps"), "Risk:CollarBps") ?? defaults.Risk.CollarBps,
            MaxOrdersPerSecond = (int?)Number(Value("Risk:OrdersPerSecond"), "Risk:OrdersPerSecond") ?? defaults.Risk.MaxOrdersPerSecond,
            MaxPositionQuantity = Number(Value("Risk:MaxPositionQuantity"), "Risk:MaxPositionQuantity") ?? defaults.Risk.MaxPositionQuantity,
            Leverage = Number(Value("Risk:Leverage"), "Risk:Leverage") ?? defaults.Risk.Leverage,
        };
        try { risk.Validate(); }
        catch (ArgumentException x) { throw new InvalidOperationException($"Tollgate:Execution:Risk: {x.Message}"); }
        var global = new GlobalRiskLimits(
            (int?)Number(Value("Risk:GlobalOrdersPerSecond"), "Risk:GlobalOrdersPerSecond") ?? defaults.GlobalRisk.MaxOrdersPerSecond,
            Number(Value("Risk:MarginBudget"), "Risk:MarginBudget") ?? defaults.GlobalRisk.MarginBudget);
        var inFlight = Number(Value("InFlightSeconds"), "InFlightSeconds") is { } s
            ? s is > 0 and <= 600 ? TimeSpan.FromSeconds((double)s) : throw new InvalidOperationException("Tollgate:Execution:InFlightSeconds must be above 0 and at most 600.")
            : defaults.InFlightAfter;
        var agreement = Number(Value("MinAgreement"), "MinAgreement") ?? defaults.MinAgreement;
        if (agreement is < 0 or > 1) throw new InvalidOperationException("Tollgate:Execution:MinAgreement must be from 0 to 1.");
        var stop = Number(Value("StopLossPct"), "StopLossPct") is { } sl ? sl / 100 : defaults.StopLossFraction;
        var take = Number(Value("TakeProfitPct"), "TakeProfitPct") is { } tp ? tp / 100 : defaults.TakeProfitFraction;
        if (stop is <= 0 or >= 1 || take <= 0) throw new InvalidOperationException("Tollgate:Execution:StopLossPct must be in (0, 100) and TakeProfitPct above 0.");
        var poll = Number(Value("RulesPollMs"), "RulesPollMs") is { } ms
            ? ms is >= 10 and <= 60_000 ? TimeSpan.FromMilliseconds((double)ms) : throw new InvalidOperationException("Tollgate:Execution:RulesPollMs must be 10-60000.")
            : defaults.RulesPollInterval;
        return new ExecutionSettings
        {
            RulesPollInterval = poll,
            Environment = environment, InFlightAfter = inFlight, ReconcileCron = Value("ReconcileCron") ?? defaults.ReconcileCron, MinAgreement = agreement,
            Risk = risk, GlobalRisk = global, StopLossFraction = stop, TakeProfitFraction = take,
            ApiKeySecret = Value("ApiKeySecret") ?? defaults.ApiKeySecret, ApiSecretSecret = Value("ApiSecretSecret") ?? defaults.ApiSecretSecret,
        };
    }

    private static decimal? Number(string? text, string name) => text is null ? null
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new InvalidOperationException($"Tollgate:Execution:{name} '{text}' is not a number of at least 0.");
}
