using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tollgate.Cli;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Evidence;

/// <summary>
/// A fresh in-process host (in-memory backend, empty ledger) and evidence folder per test, the CLI run in process
/// against it, and reads of what the ledger holds.
/// </summary>
public abstract class EvidenceCliHost : IAsyncLifetime
{
    private readonly HostFactory host = new();
    private HttpClient http = null!;

    internal EvidenceFiles Files { get; } = new();

    public async Task InitializeAsync()
    {
        http = host.Http();
        await LedgerApiTests.WaitForLedgerAsync(http);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await host.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // Teardown race outside the evidence commands: Program's app.RunAsync disposes the host (and LedgerHost
            // its CancellationTokenSource) while WebApplicationFactory still calls StopAsync, and LedgerHost.StopAsync
            // does not tolerate being called after DisposeAsync. Nothing a test here asserts depends on it.
        }
        finally
        {
            Files.Dispose();
        }
    }

    public sealed record Run(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";

        /// <summary>The key the run printed after recording.</summary>
        public string Key => Regex.Match(Out, @"^  key (\S+)$", RegexOptions.Multiline) is { Success: true } match
            ? match.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no key printed\n{this}");

        public long RecordedIndex => Regex.Match(Out, @"^(?:already )?recorded: ledger index (\d+)", RegexOptions.Multiline) is { Success: true } match
            ? long.Parse(match.Groups[1].Value)
            : throw new Xunit.Sdk.XunitException($"no ledger index printed\n{this}");
    }

    /// <summary>tollgate evidence ARGS against the in-process host.</summary>
    protected async Task<Run> EvidenceAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // The run is whoever --actor names (the host refuses an entry in someone else's name), else the default tester.
        var actorAt = Array.IndexOf(args, "--actor");
        var subject = actorAt >= 0 && actorAt + 1 < args.Length ? args[actorAt + 1] : HostFactory.DefaultSubject;
        var context = new CliContext(output, error, endpoint => new HttpClient(host.Server.CreateHandler()) { BaseAddress = endpoint })
        {
            TokenFromEnvironment = host.Tokens.For(subject, Governance.Identity.Role.Operator, Governance.Identity.Role.Pipeline),
        };
        var exitCode = await TollgateCli.RunAsync(["--endpoint", "http://localhost", "evidence", .. args], context);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>tollgate evidence ARGS against an endpoint where nothing listens.</summary>
    protected static async Task<Run> EvidenceUnreachableAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, endpoint => new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(5) });
        var exitCode = await TollgateCli.RunAsync(["--endpoint", $"http://127.0.0.1:{Support.Api.ClosedPort()}", "evidence", .. args], context);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>How many entries the ledger holds (the latest checkpoint's size).</summary>
    protected async Task<long> LedgerSizeAsync()
    {
        var note = await http.GetStringAsync("/api/ledger/checkpoint");
        return long.Parse(note.Split('\n')[1]);
    }

    /// <summary>The stored entry with <paramref name="key"/>, and its index.</summary>
    protected async Task<(long Index, JsonElement Entry)> EntryAsync(string key)
    {
        var response = await http.GetAsync($"/api/ledger/entries?key={Uri.EscapeDataString(key)}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"no entry with key {key}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.ReadJsonAsync();
        return (body.GetProperty("index").GetInt64(), body.GetProperty("entry"));
    }

    /// <summary>Appends as the entry's own actor (the host records nothing in someone else's name).</summary>
    protected async Task<HttpResponseMessage> AppendAsync(Tollgate.Ledger.Entries.LedgerEntry entry)
    {
        using var asActor = host.As(entry.Fields.Actor, Governance.Identity.Role.Operator);
        return await asActor.PostAsync("/api/ledger/entries", LedgerEntries.Body(entry));
    }

    /// <summary>Asserts the run exited <paramref name="exitCode"/>, printed its verdict, and recorded it as the one entry of the ledger.</summary>
    protected async Task<JsonElement> AssertRecordedOnceAsync(Run run, int exitCode, string check)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.StartsWith($"{(exitCode == 0 ? "PASS" : "FAIL")} {check}", run.Out);
        Assert.Contains("recorded: ledger index 0 (tree size 1)", run.Out);
        Assert.StartsWith($"evidence:{check}:", run.Key);
        var (index, entry) = await EntryAsync(run.Key);
        Assert.Equal(0, index);
        Assert.Equal(1, await LedgerSizeAsync());
        Assert.Equal("evidence", entry.GetProperty("kind").GetString());
        var payload = entry.GetProperty("payload");
        Assert.Equal(check, payload.GetProperty("check").GetString());
        Assert.Equal(exitCode == 0, payload.GetProperty("passed").GetBoolean());
        return payload;
    }

    protected static IReadOnlyList<string> Codes(JsonElement payload) =>
        [.. payload.GetProperty("reason_codes").EnumerateArray().Select(code => code.GetString()!)];

    protected static string Fact(JsonElement payload, string name) => payload.GetProperty("facts").GetProperty(name).GetString()!;

    /// <summary>Asserts a refusal: exit 2 with <c>error REASON:</c>, no verdict printed, nothing in the ledger.</summary>
    protected async Task AssertRefusedAsync(Run run, string reason)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error {reason}: ", run.Error);
        Assert.DoesNotContain("PASS ", run.Out);
        Assert.DoesNotContain("FAIL ", run.Out);
        Assert.Equal(0, await LedgerSizeAsync());
    }
}
