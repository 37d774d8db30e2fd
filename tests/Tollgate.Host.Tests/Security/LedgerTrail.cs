using System.Net;
using System.Text.Json;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Security;

/// <summary>The audit ledger read back over HTTP: its size (from the checkpoint) and its entries by index.</summary>
public sealed class LedgerTrail(HttpClient reader)
{
    /// <summary>The size the latest checkpoint states: the line after the origin line.</summary>
    public async Task<long> SizeAsync()
    {
        var response = await reader.GetAsync("/api/ledger/checkpoint");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"reading the checkpoint answered {(int)response.StatusCode}: {text}");
        return long.Parse(text.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The entry at <paramref name="index"/> (the canonical entry object, with kind, actor, payload…).</summary>
    public async Task<JsonElement> EntryAsync(long index)
    {
        var response = await reader.GetAsync($"/api/ledger/entries/{index}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"reading entry {index} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadJsonAsync()).GetProperty("entry");
    }

    /// <summary>The entries appended since the ledger had <paramref name="from"/> entries.</summary>
    public async Task<List<JsonElement>> SinceAsync(long from)
    {
        var size = await SizeAsync();
        var entries = new List<JsonElement>();
        for (var index = from; index < size; index++) entries.Add(await EntryAsync(index));
        return entries;
    }

    /// <summary>
    /// The <c>access_denied</c> entry recorded for <paramref name="route"/> (<c>METHOD /path</c>) among those
    /// appended since <paramref name="from"/>, or a description of what was there instead.
    /// </summary>
    public async Task<(JsonElement? Entry, string Found)> FindDenialAsync(long from, string route)
    {
        var appended = await SinceAsync(from);
        foreach (var entry in appended)
        {
            if (entry.GetProperty("kind").GetString() == "access_denied" && entry.GetProperty("payload").GetProperty("route").GetString() == route)
                return (entry, "");
        }
        return (null, appended.Count == 0 ? "nothing was appended" : string.Join("; ", appended.Select(e => e.GetRawText())));
    }
}
