using Spectre.Console;

namespace Tollgate.Cli;

/// <summary>
/// Where the CLI writes and how it reaches the host. <see cref="ForConsole"/> is the real one; tests
/// pass writers and an <see cref="HttpClient"/> factory of their own.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Func<Uri, HttpClient> CreateHttpClient)
{
    public const string EndpointVariable = "TOLLGATE_ENDPOINT";
    public const string TokenVariable = "TOLLGATE_TOKEN";
    public const string DefaultEndpoint = "http://127.0.0.1:7071";

    /// <summary>Draw live widgets (progress bar) on <see cref="Console"/>; false: plain lines on <see cref="Out"/>.</summary>
    public IAnsiConsole? Live { get; init; }

    /// <summary>How often --wait/--watch polls the status.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The endpoint when --endpoint is not given.</summary>
    public string? EndpointFromEnvironment { get; init; }

    /// <summary>The bearer token when --token is not given.</summary>
    public string? TokenFromEnvironment { get; init; }

    public static CliContext ForConsole()
    {
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return new CliContext(Console.Out, Console.Error, endpoint => new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) })
        {
            Live = interactive ? AnsiConsole.Console : null,
            EndpointFromEnvironment = Environment.GetEnvironmentVariable(EndpointVariable),
            TokenFromEnvironment = Environment.GetEnvironmentVariable(TokenVariable),
        };
    }

    /// <summary>A Spectre console for tables: the live one, or one over <see cref="Out"/> without colours or cursor tricks.</summary>
    public IAnsiConsole TableConsole()
    {
        if (Live is not null) return Live;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        console.Profile.Width = 200;
        return console;
    }
}
