using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>
/// An order the router still follows (not terminal): its record, where its event numbering is, which trades it has
/// taken, and what the in-flight check has tried. Changed only under the instrument's position lock.
/// </summary>
internal sealed class LiveOrder(OrderRecord record, Instrument instrument, OrderStatus status, int nextSequence, decimal executed)
{
    public OrderRecord Record { get; } = record;
    public Instrument Instrument { get; } = instrument;
    public OrderStatus Status { get; set; } = status;
    public int NextSequence { get; set; } = nextSequence;
    public decimal Executed { get; set; } = executed;
    public decimal? AveragePrice { get; set; }
    public string? ExchangeOrderId { get; set; }
    public HashSet<string> Trades { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>Reached SUBMITTED: counts in the fill ratio (a refusal never left).</summary>
    public bool Sent { get; set; }
    /// <summary>The latest reason code recorded for the order, and the latest event's detail: what a result reports.</summary>
    public string? Reason { get; set; }
    public string Detail { get; set; } = "";
    public int QueriesNotFound { get; set; }
    public int QueriesFailed { get; set; }
    public bool MarkedStuck { get; set; }
}
