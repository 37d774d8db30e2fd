extern alias fake;

using fake::Tollgate.FakeExchange;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Identity;
using Tollgate.Host.Execution;
using Tollgate.Host.Standalone;
using Tollgate.Host.Tests.Execution;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Execution;

namespace Tollgate.Host.Tests.Release.Support;

/// <summary>
/// A Paper host on real loopback HTTP (Kestrel, so a separate process can scrape it) with a real Prometheus scraping
/// its <c>/api/metrics</c> every second as an Auditor, and traffic already routed for three cohorts when the tests
/// start: <see cref="RejectedRev"/> (every intent off the quantity step, refused EXE-INTENT-STEP), <see cref="CleanRev"/>
/// (market buys that fill) and <see cref="QuotedRev"/> (refused like the first, under a rev whose text would break a
/// PromQL string that was not escaped). Once the host's own figures show every order ended, Prometheus has scraped.
/// </summary>
public sealed class ScrapedPaperHost : IAsyncLifetime
{
    public const string Environment = "Paper";

    /// <summary>Intents per cohort, one per cohort every <see cref="Pace"/>: about 8 s of traffic, several scrapes.</summary>
    public const int Rounds = 24;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(350);

    /// <summary>The step the tests query with: one point a second, as often as Prometheus scrapes.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private FakeExchange exchange = null!;

    public string RejectedRev => $"rules-{run}-rejected";
    public string CleanRev => $"rules-{run}-clean";

    /// <summary>A quote and a brace (ending a label matcher), a backslash, and the text of the window placeholder.</summary>
    public string QuotedRev => $"rules-{run}-\"}} or vector(1) or {{\\ $window";

    public HostFactory Host { get; private set; } = null!;
    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>The host's own figures: what Prometheus's answers must agree with.</summary>
    public ExecutionMetrics Metrics => Host.Services.GetRequiredService<ExecutionPlane>().Metrics;

    /// <summary>When the first intents were published.</summary>
    public DateTimeOffset TrafficStarted { get; private set; }

    /// <summary>One <see cref="Step"/> after Prometheus's first scrape that saw every order ended.</summary>
    public DateTimeOffset Scraped { get; private set; }

    public async Task InitializeAsync()
    {
        exchange = await MarketHost.StartExchangeAsync(seed: 8801);
        Host = new HostFactory().Paper(exchange).With("urls", "http://127.0.0.1:0");
        Host.UseKestrel();
        Host.StartServer();
        var endpoint = new Uri(Host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var http = ExecutionHost.Client(endpoint.ToString(), Host.Tokens.For(ExecutionHost.Operator, Role.Operator));
        var prometheus = PrometheusServer.StartAsync(endpoint, Host.Tokens.For("prometheus-scraper", Role.Auditor));
        try { await http.WaitForRoutingAsync(); }
        finally { Prometheus = await prometheus; } // started either way, so DisposeAsync stops it
        await Prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ExecutionHost.Deadline);

        var hub = Host.Services.GetRequiredService<StreamHub>();
        async Task PublishAsync(byte[] body, string intentId) => await hub.PublishAsync(ExecutionPlane.IntentsStream, "SPOT:BTCUSDT",
            new Dictionary<string, string> { ["intent_id"] = intentId }, body, CancellationToken.None);
        TrafficStarted = DateTimeOffset.UtcNow;
        for (var i = 0; i < Rounds; i++)
        {
            // The step of SPOT:BTCUSDT is 0.00001: 0.000015 is refused before risk and the channel.
            await PublishAsync(ExecutionHost.Intent($"{run}-rejected-{i}", quantity: "0.000015", configRev: RejectedRev), $"{run}-rejected-{i}");
            await PublishAsync(ExecutionHost.Intent($"{run}-quoted-{i}", quantity: "0.000015", configRev: QuotedRev), $"{run}-quoted-{i}");
            // A different quantity each time, so risk never takes one for a duplicate of the last.
            var quantity = (0.0002m + 0.00001m * i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await PublishAsync(ExecutionHost.Intent($"{run}-clean-{i}", quantity: quantity, configRev: CleanRev), $"{run}-clean-{i}");
            await Task.Delay(Pace);
        }

        var until = DateTime.UtcNow + ExecutionHost.Deadline;
        while (!AllEnded())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not every order ended within {ExecutionHost.Deadline.TotalSeconds:0} s: {string.Join("; ", Metrics.Snapshot().Where(c => c.ConfigRev.Contains(run, StringComparison.Ordinal)))}");
            await Task.Delay(100);
        }
        await Prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ExecutionHost.Deadline);
        // A query's points fall every step back from its end: one step on, the last of them reads that scrape.
        await Task.Delay(Step);
        Scraped = DateTimeOffset.UtcNow;
    }

    /// <summary>The host's figures for one cohort of this run.</summary>
    public CohortMetrics Cohort(string rev) => Metrics.Snapshot().Single(c => c.Environment == Environment && c.ConfigRev == rev);

    /// <summary>The host's per-event samples of one cohort's metric, since the traffic started.</summary>
    public IReadOnlyList<double> Observed(string rev, string metric) => Metrics.Observations.Read(Environment, rev, metric, TrafficStarted.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

    public async Task DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        if (Host is not null) await Host.DisposeAsync();
        if (exchange is not null) await exchange.DisposeAsync();
    }

    private bool AllEnded()
    {
        var cohorts = Metrics.Snapshot().Where(c => c.Environment == Environment).ToDictionary(c => c.ConfigRev, StringComparer.Ordinal);
        return cohorts.TryGetValue(RejectedRev, out var rejected) && rejected.Rejected == Rounds
            && cohorts.TryGetValue(QuotedRev, out var quoted) && quoted.Rejected == Rounds
            && cohorts.TryGetValue(CleanRev, out var clean) && clean.Filled + clean.Rejected + clean.Canceled + clean.Expired == Rounds;
    }
}
