using System.Globalization;
using Tollgate.FakeExchange;

// Standalone: dotnet Tollgate.FakeExchange.dll --urls http://127.0.0.1:0 --symbols BTCUSDT,ETHUSDT [--interval-ms 100] [--seed N]
var options = new FakeExchangeOptions();
var gapEvery = TimeSpan.Zero;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--urls": options = options with { Url = Value().Split(';')[0] }; break;
        case "--symbols": options = options with { Symbols = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant())] }; break;
        case "--interval-ms": options = options with { TickInterval = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)) }; break;
        case "--speed": options = options with { TickInterval = TimeSpan.FromMilliseconds(1000.0 / double.Parse(Value(), CultureInfo.InvariantCulture)) }; break;
        case "--seed": options = options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
        case "--gap-every-seconds": gapEvery = TimeSpan.FromSeconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Options: --urls http://127.0.0.1:PORT --symbols A,B --interval-ms N | --speed TICKS_PER_S --seed N [--gap-every-seconds N]");
            return 2;
    }
}
await using var exchange = await FakeExchange.StartAsync(options);
Console.WriteLine($"Now listening on: {exchange.BaseUri.ToString().TrimEnd('/')}");
Console.WriteLine($"Spot streams: {exchange.SpotStreamUri}stream?streams=...  Futures streams: {exchange.FuturesStreamUri}/stream?streams=...");
var done = new TaskCompletionSource();
if (gapEvery > TimeSpan.Zero)
{
    // A scripted fault for demos: every so often the first symbol's spot depth stream loses two updates.
    _ = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(gapEvery);
        while (await timer.WaitForNextTickAsync())
        {
            exchange.DropNextDepthEvents(FakeMarket.Spot, options.Symbols[0], 2);
            Console.WriteLine($"dropped 2 spot depth updates of {options.Symbols[0]} (scripted gap)");
        }
    });
}
Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
// SIGTERM (how scripts stop it): finish Main, so the sockets close and the process exits at once.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    done.TrySetResult();
});
await done.Task;
return 0;
