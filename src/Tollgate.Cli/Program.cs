namespace Tollgate.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => TollgateCli.RunAsync(args, CliContext.ForConsole());
}
