using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tollgate.Governance.Benchmarks;

/// <summary>One host's kill-switch event stream (server-sent events), and when it showed the state a round waits for.</summary>
internal sealed class KillSwitchStream(string endpoint, string token) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(endpoint), Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource stop = new();
    private readonly object gate = new();
    private TaskCompletionSource<long>? waiting;
    private bool expected;

    public async Task StartAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/kill-switch/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        _ = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var at = Stopwatch.GetTimestamp();
                using var state = JsonDocument.Parse(line["data: ".Length..]);
                if (state.RootElement.GetProperty("environment").GetString() != "Research") continue;
                var engaged = state.RootElement.GetProperty("engaged").GetBoolean();
                lock (gate)
                {
                    if (waiting is not null && engaged == expected) waiting.TrySetResult(at);
                }
            }
        });
    }

    /// <summary>Arms the stream for the next change to <paramref name="engaged"/>.</summary>
    public void Expect(bool engaged)
    {
        lock (gate)
        {
            expected = engaged;
            waiting = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>The timestamp at which the armed change arrived.</summary>
    public Task<long> ObservedAsync(TimeSpan timeout)
    {
        lock (gate) return waiting!.Task.WaitAsync(timeout);
    }

    public void Dispose()
    {
        stop.Cancel();
        http.Dispose();
    }
}
