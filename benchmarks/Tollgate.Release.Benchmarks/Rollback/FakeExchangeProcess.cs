namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>
/// The loopback fake exchange (Binance's REST and WebSocket formats, a simulated market) as a child process, standing
/// in for Binance: there is no internet here, and the hosts' market and order planes need an exchange to run.
/// </summary>
internal sealed class FakeExchangeProcess : IAsyncDisposable
{
    private readonly ChildProcess process;

    private FakeExchangeProcess(ChildProcess process, string endpoint)
    {
        this.process = process;
        Endpoint = endpoint;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>: REST for spot and futures; the streams are the same address over ws.</summary>
    public string Endpoint { get; }

    public string StreamEndpoint => "ws" + Endpoint["http".Length..];

    public static async Task<FakeExchangeProcess> StartAsync(string repoRoot, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(repoRoot, "tests", "Tollgate.FakeExchange", "bin", "Release", "net10.0", "Tollgate.FakeExchange.dll");
        var process = ChildProcess.Start("fake exchange", dll, ["--urls", "http://127.0.0.1:0", "--symbols", "BTCUSDT,ETHUSDT"], new Dictionary<string, string>());
        try
        {
            return new FakeExchangeProcess(process, await process.ListeningAsync(TimeSpan.FromSeconds(60), cancellationToken));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
