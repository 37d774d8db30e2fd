using System.Net.WebSockets;
using System.Threading.Channels;

namespace Tollgate.FakeExchange;

/// <summary>What a test can see of a WebSocket connection the fake served.</summary>
public sealed record FakeConnectionInfo(int Id, FakeMarket Market, IReadOnlyList<string> Streams, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? CloseReason);

internal sealed class FakeConnection(int id, FakeMarket market, WebSocket socket, IEnumerable<string> streams, int maxPending, DateTimeOffset openedAt)
{
    private readonly HashSet<string> streams = new(streams, StringComparer.Ordinal);
    private readonly Queue<long> incoming = new();

    public int Id { get; } = id;
    public FakeMarket Market { get; } = market;
    public WebSocket Socket { get; } = socket;
    public DateTimeOffset OpenedAt { get; } = openedAt;
    public Channel<byte[]> Outgoing { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(maxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    public CancellationTokenSource Closing { get; } = new();
    public volatile bool Frozen;
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? CloseReason { get; private set; }

    public bool Has(string stream) { lock (this.streams) return this.streams.Contains(stream); }

    public IReadOnlyList<string> Streams { get { lock (streams) return [.. streams.Order(StringComparer.Ordinal)]; } }

    public int StreamCount { get { lock (streams) return streams.Count; } }

    public void Add(IEnumerable<string> names) { lock (streams) streams.UnionWith(names); }

    public void Remove(IEnumerable<string> names) { lock (streams) streams.ExceptWith(names); }

    /// <summary>Counts an incoming message; false when the connection is over its per-second limit.</summary>
    public bool CountIncoming(int perSecond)
    {
        var now = Environment.TickCount64;
        lock (incoming)
        {
            while (incoming.Count > 0 && incoming.Peek() <= now - 1000) incoming.Dequeue();
            incoming.Enqueue(now);
            return incoming.Count <= perSecond;
        }
    }

    public bool MarkClosed(string reason, DateTimeOffset at)
    {
        lock (this)
        {
            if (CloseReason is not null) return false;
            CloseReason = reason;
            ClosedAt = at;
        }
        Outgoing.Writer.TryComplete();
        return true;
    }

    public FakeConnectionInfo Info() => new(Id, Market, Streams, OpenedAt, ClosedAt, CloseReason);
}
