extern alias fake;

using fake::Tollgate.FakeExchange;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Execution;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Support;
using Tollgate.Release.Pipeline;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// Where a release runs: a Paper host over a loopback exchange, holding a fresh release signing key in its secret
/// store, routing, with the busy baseline rules active (so both cohorts trade), and one client per role.
/// </summary>
public sealed class PaperReleaseHost : IAsyncDisposable
{
    private PaperReleaseHost(FakeExchange exchange, HostFactory host, string baselineRev)
    {
        Exchange = exchange;
        Host = host;
        BaselineRev = baselineRev;
        Operator = host.As(ExecutionHost.Operator, Role.Operator);
        Trader = host.As(ExecutionHost.Trader, Role.Trader);
        Pipeline = host.As(ReleaseHost.Pipeline, Role.Pipeline);
    }

    public FakeExchange Exchange { get; }
    public HostFactory Host { get; }
    public HttpClient Operator { get; }
    public HttpClient Trader { get; }
    public HttpClient Pipeline { get; }

    /// <summary>The rev of the rules the Active Version Map trades before any release.</summary>
    public string BaselineRev { get; }

    public static async Task<PaperReleaseHost> StartAsync(int seed)
    {
        var exchange = await MarketHost.StartExchangeAsync(seed);
        var host = new HostFactory().Paper(exchange).With("release-signing-key", ReleaseSigningKey.Create().PrivateKeySecret);
        try
        {
            var operatorHttp = host.As(ExecutionHost.Operator, Role.Operator);
            await operatorHttp.WaitForRoutingAsync();
            var baseline = await ExecutionHost.TradeOnPaperAsync(operatorHttp, host.As(ExecutionHost.Trader, Role.Trader), ExecutionHost.BusyRules, "baseline");
            return new PaperReleaseHost(exchange, host, baseline);
        }
        catch
        {
            host.Dispose();
            await exchange.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Exchange.DisposeAsync();
    }
}
