using CsCheck;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;
using Tollgate.Markets.Tests.Support;

namespace Tollgate.Markets.Tests.Books;

/// <summary>
/// Book synchronisation against a reference, through the ingest handler and the Binance decoder: a random true
/// stream (<see cref="TrueBookStream"/>) is delivered with gaps, duplicates, stale and reordered events and
/// snapshots at random points (some older than the buffer). After every delivered frame the book is either synced
/// and equal, level for level, to the true book at its update id, or not synced with a gap or stale snapshot
/// reported (or no snapshot delivered yet).
/// </summary>
public sealed class BookSyncProperties
{
    private abstract record Delivery;
    private sealed record DeltaDelivery(TrueDelta Delta, string Why) : Delivery;
    private sealed record SnapshotDelivery(long LastUpdateId, bool Shuffled, string Why) : Delivery;

    private static readonly Gen<(int Seed, bool Futures, int Deltas)> Scenarios = Gen.Select(Gen.Int, Gen.Bool, Gen.Int[5, 150]);

    [Fact]
    public void Faulty_delivery_never_leaves_a_synced_book_wrong_or_an_unsynced_one_unreported()
    {
        Scenarios.Sample((seed, futures, count) =>
        {
            var random = new Random(seed);
            var truth = new TrueBookStream(random, futures, count);
            var deliveries = Faulty(truth, random);
            Run(truth, deliveries, clean: false, $"seed={seed} futures={futures} deltas={count}");
        }, iter: 400);
    }

    [Fact]
    public void Clean_delivery_is_synced_from_the_first_snapshot_on_and_never_reports_a_gap()
    {
        Scenarios.Sample((seed, futures, count) =>
        {
            var random = new Random(seed);
            var truth = new TrueBookStream(random, futures, count);
            var deliveries = Clean(truth, random);
            Run(truth, deliveries, clean: true, $"seed={seed} futures={futures} deltas={count}");
        }, iter: 400);
    }

    /// <summary>Every delta in order, the first snapshot at a random point with an id the buffer covers, more snapshots later.</summary>
    private static List<Delivery> Clean(TrueBookStream truth, Random random)
    {
        var deltas = truth.Deltas;
        var at = random.Next(deltas.Count + 1);
        var list = new List<Delivery>();
        for (var i = 0; i <= deltas.Count; i++)
        {
            if (i == at)
            {
                // Any id from the one before the first buffered event (spot: U-1; futures: pu of the first) to a
                // little past the events delivered so far: the exchange may be ahead of what has arrived.
                var upTo = deltas[Math.Min(deltas.Count - 1, i + 2)].Final;
                var candidates = truth.UpdateIds.Where(id => id <= upTo).ToArray();
                list.Add(new SnapshotDelivery(candidates[random.Next(candidates.Length)], random.Next(2) == 0, "first snapshot"));
            }
            else if (i > at && random.NextDouble() < 0.05)
            {
                list.Add(new SnapshotDelivery(truth.UpdateIds[random.Next(truth.UpdateIds.Count)], false, "snapshot of a synced book"));
            }
            if (i < deltas.Count) list.Add(new DeltaDelivery(deltas[i], "in order"));
        }
        return list;
    }

    /// <summary>The true stream with drops, duplicates, swaps, old events replayed, and fresh or stale snapshots.</summary>
    private static List<Delivery> Faulty(TrueBookStream truth, Random random)
    {
        var deltas = truth.Deltas;
        var list = new List<Delivery>();
        var (drop, swap, duplicate, old, snapshot) = (random.NextDouble() * 0.15, random.NextDouble() * 0.1, random.NextDouble() * 0.15, random.NextDouble() * 0.1, 0.05 + random.NextDouble() * 0.2);
        for (var i = 0; i < deltas.Count; i++)
        {
            if (random.NextDouble() < snapshot)
            {
                if (random.NextDouble() < 0.7)
                {
                    var from = deltas[Math.Max(0, i - 3)].First - 1;
                    var to = deltas[Math.Min(deltas.Count - 1, i + 2)].Final;
                    var fresh = truth.UpdateIds.Where(id => id >= from && id <= to).ToArray();
                    if (fresh.Length > 0) list.Add(new SnapshotDelivery(fresh[random.Next(fresh.Length)], random.Next(2) == 0, "fresh snapshot"));
                }
                else
                {
                    var before = deltas[Math.Max(0, i - 10)].First - 1;
                    var stale = truth.UpdateIds.Where(id => id < before).ToArray();
                    if (stale.Length > 0) list.Add(new SnapshotDelivery(stale[random.Next(stale.Length)], random.Next(2) == 0, "stale snapshot"));
                }
            }
            var r = random.NextDouble();
            if (r < drop) continue;
            if (r < drop + swap && i + 1 < deltas.Count)
            {
                list.Add(new DeltaDelivery(deltas[i + 1], "swapped ahead"));
                list.Add(new DeltaDelivery(deltas[i], "swapped behind"));
                i++;
                continue;
            }
            list.Add(new DeltaDelivery(deltas[i], "in order"));
            if (random.NextDouble() < duplicate) list.Add(new DeltaDelivery(deltas[i], "duplicate"));
            if (i > 0 && random.NextDouble() < old) list.Add(new DeltaDelivery(deltas[random.Next(i)], "old replayed"));
        }
        return list;
    }

    private static void Run(TrueBookStream truth, List<Delivery> deliveries, bool clean, string scenario)
    {
        var instrument = truth.Futures ? TestInstruments.FutBtcUsdt : TestInstruments.SpotBtcUsdt;
        var rig = new Rig();
        var snapshotSeen = false;
        var explained = false; // a gap or stale snapshot reported, or a snapshot asked for, since the book was last synced
        var wasSynced = false;
        var time = Frames.DefaultTime;
        var log = new List<string>();
        for (var step = 0; step < deliveries.Count; step++)
        {
            var reports = rig.Quality.Events.Count;
            var requests = rig.Snapshots.Requests.Count;
            time = time.AddMilliseconds(100);
            rig.Now = time.AddMilliseconds(5);
            switch (deliveries[step])
            {
                case DeltaDelivery(var d, var why):
                    log.Add($"{step}: delta #{d.Index} U={d.First} u={d.Final} pu={d.PreviousFinal} ({why})");
                    Assert.Equal(1, rig.Stream(instrument, Frames.DepthUpdate(instrument, d.First, d.Final, d.PreviousFinal, d.Bids, d.Asks, time)).Decoded);
                    break;
                case SnapshotDelivery(var id, var shuffled, var why):
                    log.Add($"{step}: snapshot at {id} ({why})");
                    var (bids, asks) = truth.At(id);
                    var b = bids.Select(l => (l.Price, l.Quantity));
                    var a = asks.Select(l => (l.Price, l.Quantity));
                    if (shuffled) { b = b.Reverse(); a = a.OrderBy(_ => Guid.NewGuid()); }
                    Assert.Equal(1, rig.Snapshot(instrument, Frames.Snapshot(id, b, a, truth.Futures)).Decoded);
                    snapshotSeen = true;
                    break;
            }
            var newReports = rig.Quality.Events.Skip(reports).ToList();
            if (newReports.Any(e => e.Kind is DataQualityKind.Gap or DataQualityKind.SnapshotStale) || rig.Snapshots.Requests.Count > requests) explained = true;
            var book = rig.Pipeline(instrument).Book;
            string Context() => $"{scenario}, after step {step}: {BookImage.Of(book)}\n{string.Join("\n", log.TakeLast(25))}";

            if (book.IsSynced)
            {
                var (bids, asks) = truth.At(book.LastUpdateId);
                Assert.True(bids.SequenceEqual(BookImage.Side(book.Bids)) && asks.SequenceEqual(BookImage.Side(book.Asks)),
                    $"synced book differs from the true book at {book.LastUpdateId}: {Context()}\nexpected bids {string.Join(" ", bids)}\nexpected asks {string.Join(" ", asks)}");
                explained = false;
                wasSynced = true;
            }
            else if (snapshotSeen)
            {
                Assert.True(explained, $"not synced and nothing reported: {Context()}");
            }
            if (clean)
            {
                Assert.True(!snapshotSeen || book.IsSynced, $"clean delivery, not synced after the first snapshot: {Context()}");
                Assert.True(newReports.All(e => e.Kind is not (DataQualityKind.Gap or DataQualityKind.SnapshotStale or DataQualityKind.ContinuousGap)),
                    $"clean delivery reported {string.Join(", ", newReports.Select(e => e.Code + " " + e.Detail))}: {Context()}");
                Assert.True(rig.Snapshots.Requests.Count == 0, $"clean delivery asked for a snapshot: {Context()}");
            }
        }
        if (clean) Assert.True(wasSynced || !snapshotSeen, scenario);
    }
}
