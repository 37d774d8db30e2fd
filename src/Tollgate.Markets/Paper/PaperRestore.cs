using System.Globalization;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

/// <summary>What <see cref="PaperChannel.RestoreAsync"/> put back, and what it had to decide that the store did not say.</summary>
/// <param name="Orders">Orders the channel knows again by client order id, open and ended.</param>
/// <param name="Resting">Of those, the orders resting in the book again.</param>
/// <param name="Fills">Recorded fills applied again to the balances, positions and wallet.</param>
/// <param name="NotReached">Paper orders in the store that the venue never had: INITIALIZED, refused, or SUBMITTED with neither a fill nor an exchange order id.</param>
/// <param name="Notes">
/// One line per decision the records did not settle: an order of an instrument outside the table (its fills are not in
/// the balances), a status inferred, an exchange order id renumbered, an executed quantity that disagrees with the fills,
/// a pending cancel whose outcome is not recorded. For the startup log; empty when the store said everything.
/// </param>
public sealed record PaperRestoreReport(int Orders, int Resting, int Fills, int NotReached, IReadOnlyList<string> Notes);

public sealed partial class PaperChannel
{
    private static readonly IComparer<string> TradeIdOrder = Comparer<string>.Create(CompareTradeIds);

    private bool restored;

    /// <summary>
    /// Rebuilds the venue after a host restart from what the router recorded in <paramref name="store"/>, so the
    /// startup reconciliation compares the store with the venue the store describes, not with an empty one. Call it
    /// once, on a new channel, before any order is placed (before the router resumes its open orders).
    /// <list type="bullet">
    /// <item>Only orders recorded for this channel (<see cref="OrderRecord.Channel"/> <c>paper</c>) on an instrument
    /// <paramref name="instruments"/> has; the others are left out, each named in <see cref="PaperRestoreReport.Notes"/>.</item>
    /// <item>Every recorded fill of those orders is applied again on top of the starting balances of the channel's
    /// <see cref="PaperSettings"/>, with its recorded price and fee, in fill time order and then trade id (numerically),
    /// and kept as the channel's fill under its recorded trade id, so <see cref="FillsAsync"/> returns what the store has.</item>
    /// <item>Every order the venue had is known again by client order id: any status after INITIALIZED except REJECTED
    /// (a refusal, before or by the venue, leaves nothing there), and SUBMITTED only with a fill or an exchange order id
    /// recorded (without either, the answer never came and the venue never got it: the router's in-flight check finds it
    /// missing and ends it). Its executed quantity is what its fills add up to; its status is the recorded one, or,
    /// where the router did not learn the venue's answer, the one placement would have left (see the notes).</item>
    /// <item>Open orders (ACCEPTED, PARTIALLY_FILLED, PENDING_CANCEL) rest again with what is left of them, in their
    /// original time priority, a spot order holding back its quote (buy, maker fee included) or base (sell) as
    /// placement does. They wait for the next book update: the update they last saw is not recorded.</item>
    /// <item>Orders keep their recorded exchange order ids; order and trade counters continue past the highest restored
    /// ids per instrument, so new ids never collide.</item>
    /// </list>
    /// What it cannot know: the starting balances of the first run (it takes this channel's settings: they must be
    /// the same); anything the venue did that the router had not recorded when the host stopped (a fill or an ending
    /// whose answer was lost with the process is gone, as the venue's memory went with it); whether a PENDING_CANCEL's
    /// cancel reached the venue (it rests PENDING_CANCEL; cancelling again ends it); the fee settings of the first run
    /// (fills keep their recorded fees; what a resting order holds back uses today's maker fee).
    /// </summary>
    /// <param name="instruments">The routed universe: resolves <see cref="OrderRecord.InstrumentKey"/> to the instances the router uses.</param>
    /// <exception cref="InvalidOperationException">The channel already has orders, or was already restored.</exception>
    public async Task<PaperRestoreReport> RestoreAsync(IExecutionStore store, InstrumentTable instruments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(instruments);
        lock (gate) RefuseRestore();

        var notes = new List<string>();
        var found = new List<RecordedOrder>();
        var notReached = 0;
        await foreach (var stored in store.OrdersAsync(cancellationToken))
        {
            var record = stored.Order;
            if (!string.Equals(record.Channel, Name, StringComparison.Ordinal)) continue;
            var fills = await store.FillsAsync(record.ClientOrderId, cancellationToken);
            if (instruments.Find(record.InstrumentKey) is not { } instrument)
            {
                notes.Add($"{record.ClientOrderId}: {record.InstrumentKey} is not in the instrument table; not restored, its {fills.Count} fill(s) are not in the balances");
                continue;
            }
            if (!AssetPair.TryParse(instrument.Symbol, out var assets))
            {
                notes.Add($"{record.ClientOrderId}: {instrument.Key} has no known quote asset; not restored, its {fills.Count} fill(s) are not in the balances");
                continue;
            }
            var exchangeOrderId = stored.Events.LastOrDefault(e => !string.IsNullOrEmpty(e.ExchangeOrderId))?.ExchangeOrderId;
            if (!Reached(stored.Status, fills.Count, exchangeOrderId))
            {
                notReached++;
                continue;
            }
            found.Add(new RecordedOrder(stored, instrument, assets, fills, exchangeOrderId));
        }

        lock (gate)
        {
            RefuseRestore(); // again: an order placed while the store was read would be overwritten
            restored = true;
            return Rebuild(found, notReached, notes);
        }
    }

    private void RefuseRestore()
    {
        if (restored)
            throw new InvalidOperationException("the paper channel is already restored: restore runs once, on a new channel, before any order is placed");
        var orders = orderBooks.Values.Sum(b => b.Orders);
        if (orders > 0)
            throw new InvalidOperationException(
                $"the paper channel already has {orders} order(s): restore rebuilds a new channel from the execution store before any order is placed, never over orders it holds");
    }

    /// <summary>Whether the venue had the order: it executed, or the router learned an answer the venue only gives for an order it has.</summary>
    private static bool Reached(OrderStatus status, int fills, string? exchangeOrderId) => fills > 0 || status switch
    {
        OrderStatus.Initialized or OrderStatus.Rejected => false,
        OrderStatus.Submitted => exchangeOrderId is not null,
        _ => true,
    };

    private PaperRestoreReport Rebuild(List<RecordedOrder> found, int notReached, List<string> notes)
    {
        var restoring = new List<(RecordedOrder Recorded, PaperOrder Order)>(found.Count);
        foreach (var group in found.GroupBy(r => r.Instrument.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var instrument = group.First().Instrument;
            var seenUpdate = books.Top(instrument, 1)?.UpdateId ?? 0;
            var numbers = new HashSet<long>();
            var numbered = new List<(RecordedOrder, long)>();
            var unnumbered = new List<RecordedOrder>();
            // The first routed keeps a number two orders claim (a run before restore existed numbered afresh).
            foreach (var r in group.OrderBy(r => r.Stored.Order.RoutedAt).ThenBy(r => r.Stored.Order.ClientOrderId, StringComparer.Ordinal))
            {
                if (OrderNumber(r.ExchangeOrderId) is { } n && numbers.Add(n)) numbered.Add((r, n));
                else unnumbered.Add(r);
            }
            var next = numbers.Count == 0 ? 0 : numbers.Max();
            foreach (var r in unnumbered)
            {
                numbered.Add((r, ++next));
                notes.Add(r.ExchangeOrderId is null
                    ? $"{r.Stored.Order.ClientOrderId}: no exchange order id recorded; numbered {next}"
                    : $"{r.Stored.Order.ClientOrderId}: exchange order id {r.ExchangeOrderId} is taken or not a paper order number; renumbered {next}");
            }
            foreach (var (r, number) in numbered)
                restoring.Add((r, new PaperOrder(RequestOf(r.Stored.Order, instrument), number, seenUpdate, r.Stored.Order.RoutedAt)));
        }

        var fills = restoring.SelectMany(o => o.Recorded.Fills.Select(f => (o.Recorded, o.Order, Fill: f)))
            .OrderBy(x => x.Fill.At).ThenBy(x => x.Fill.TradeId, TradeIdOrder)
            .ThenBy(x => x.Recorded.Instrument.Key, StringComparer.Ordinal).ThenBy(x => x.Fill.ClientOrderId, StringComparer.Ordinal)
            .ToList();
        var trades = new Dictionary<(string, string), string>();
        foreach (var (recorded, order, f) in fills)
        {
            var fill = new ChannelFill(f.TradeId, f.Quantity, f.Price, f.Fee, f.FeeAsset, f.IsMaker, f.At);
            ApplyRecorded(order, recorded.Assets, fill);
            order.Record(fill);
            var book = BookOf(recorded.Instrument);
            if (!book.RestoreFill(fill))
                notes.Add($"{f.ClientOrderId}: trade id {f.TradeId} on {recorded.Instrument.Key} is not a paper trade number; kept, the trade counter does not count it");
            if (!trades.TryAdd((recorded.Instrument.Key, f.TradeId), f.ClientOrderId))
                notes.Add($"{f.ClientOrderId}: trade id {f.TradeId} on {recorded.Instrument.Key} is also a trade of {trades[(recorded.Instrument.Key, f.TradeId)]}; both kept");
        }

        var resting = 0;
        foreach (var (recorded, order) in restoring.OrderBy(o => o.Recorded.Instrument.Key, StringComparer.Ordinal).ThenBy(o => o.Order.Number))
        {
            var stored = recorded.Stored;
            var coid = stored.Order.ClientOrderId;
            var (status, why) = StatusOf(stored.Status, order);
            if (why is not null) notes.Add($"{coid}: {why}");
            if (stored.Last.ExecutedQuantity != order.Executed)
                notes.Add($"{coid}: recorded executed {Text(stored.Last.ExecutedQuantity)}, its fills add up to {Text(order.Executed)}; the venue answers {Text(order.Executed)}");
            order.Status = status;
            if (stored.Last.At > order.UpdatedAt) order.UpdatedAt = stored.Last.At;
            if (!status.IsTerminal())
            {
                resting++;
                if (recorded.Instrument.Market == MarketKind.Spot)
                {
                    var request = order.Request;
                    order.LockedAsset = request.Side == OrderSide.Buy ? recorded.Assets.Quote : recorded.Assets.Base;
                    order.Locked = RestingLock(request.Side, order.Remaining, request.LimitPrice!.Value, settings.Fees(MarketKind.Spot).MakerBps);
                    account.Lock(order.LockedAsset, order.Locked);
                }
            }
            BookOf(recorded.Instrument).Restore(order);
        }
        return new PaperRestoreReport(restoring.Count, resting, fills.Count, notReached, notes);
    }

    /// <summary>
    /// The status the venue answers for a restored order. The recorded one where it is the venue's; where the router
    /// never learned the venue's answer (SUBMITTED), or learned less than the fills show, the one placement and
    /// matching would have left: filled when the fills cover the quantity, a limit order resting with the rest, a
    /// market order expired with what it executed. Open statuses only for limit orders, the only orders that rest.
    /// </summary>
    private static (OrderStatus Status, string? Why) StatusOf(OrderStatus recorded, PaperOrder order)
    {
        var filled = order.Remaining <= 0;
        var rests = order.Request.Type == OrderType.Limit && order.Request.LimitPrice is > 0;
        var open = order.Executed > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Accepted;
        switch (recorded)
        {
            case OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired:
                return (recorded, null);
            case OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel:
                if (filled) return (OrderStatus.Filled, $"recorded {recorded.Code()}, its fills cover its quantity: FILLED");
                if (!rests) return (OrderStatus.Expired, $"recorded {recorded.Code()}, a {order.Request.Type} order without a limit cannot rest: EXPIRED");
                if (recorded == OrderStatus.PendingCancel)
                    return (OrderStatus.PendingCancel, "recorded PENDING_CANCEL, whether the cancel reached the venue is not recorded: resting until cancelled again");
                return (open, open == recorded ? null : $"recorded {recorded.Code()}, its fills say {open.Code()}");
            case OrderStatus.Submitted:
                var placed = filled ? OrderStatus.Filled : rests ? open : OrderStatus.Expired;
                return (placed, $"recorded SUBMITTED without the venue's answer, which its fills or exchange order id show it had: {placed.Code()}, as placement would have left it");
            default:
                var ended = filled ? OrderStatus.Filled : OrderStatus.Expired;
                return (ended, $"recorded {recorded.Code()} with fills: {ended.Code()}, not resting, since the router has ended it");
        }
    }

    private void ApplyRecorded(PaperOrder order, AssetPair assets, ChannelFill fill)
    {
        var request = order.Request;
        var feeAsset = fill.FeeAsset.ToUpperInvariant();
        var inQuote = feeAsset.Length == 0 || feeAsset == assets.Quote;
        var fee = inQuote ? fill.Fee : 0m;
        if (request.Instrument.Market == MarketKind.Spot)
        {
            account.SpotFill(assets, request.Side, fill.Quantity, fill.Price, fee);
            if (!inQuote) account.SpotFee(feeAsset, fill.Fee);
        }
        else
        {
            account.FuturesFill(request.Instrument, assets.Quote, request.Side, fill.Quantity, fill.Price, fee);
            if (!inQuote) account.WalletFee(feeAsset, fill.Fee);
        }
    }

    private static OrderRequest RequestOf(OrderRecord r, Instrument instrument) =>
        new(r.IntentId, r.ClientOrderId, instrument, r.Side, r.Type, r.Quantity, r.LimitPrice, r.ReduceOnly, r.ConfigRev);

    private static long? OrderNumber(string? exchangeOrderId) =>
        long.TryParse(exchangeOrderId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>Paper's trade numbers in numeric order (10 after 9), any other id after them in ordinal order.</summary>
    private static int CompareTradeIds(string? a, string? b)
    {
        var numericA = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var x);
        var numericB = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y);
        if (numericA && numericB) return x.CompareTo(y);
        if (numericA != numericB) return numericA ? -1 : 1;
        return string.CompareOrdinal(a, b);
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record RecordedOrder(StoredOrder Stored, Instrument Instrument, AssetPair Assets, IReadOnlyList<FillRecord> Fills, string? ExchangeOrderId);
}
