using CsCheck;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Books;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Features;

/// <summary>
/// Every feature event, however the pipeline reuses earlier results, equals the features computed afresh from its
/// own top of book and, for the imbalance, from the depth book as it is when the event is emitted.
/// </summary>
public sealed class FeatureConsistencyProperties
{
    private sealed class Checker(int levels) : IFeatureSink
    {
        public Func<OrderBook?> Book = () => null;
        public int Checked;

        public void OnFeatures(in FeatureEvent e)
        {
            Assert.Equal((e.BidPrice + e.AskPrice) * 0.5m, e.Mid);
            Assert.Equal(e.AskPrice - e.BidPrice, e.Spread);
            Assert.Equal(Math.Round((e.AskPrice - e.BidPrice) / ((e.BidPrice + e.AskPrice) * 0.5m) * 10_000m, 4), e.SpreadBps);
            Assert.Equal(Math.Round((e.BidPrice * e.AskQuantity + e.AskPrice * e.BidQuantity) / (e.BidQuantity + e.AskQuantity), 10), e.Microprice);
            // The scale of the prices is kept too (the reuse compares bits, not values).
            Assert.Equal(((e.BidPrice + e.AskPrice) * 0.5m).ToString(), e.Mid.ToString());
            decimal? imbalance = null;
            if (Book() is { IsSynced: true } book)
            {
                var b = book.Bids.QuantityOfTop(levels);
                var a = book.Asks.QuantityOfTop(levels);
                if (a + b > 0) imbalance = Math.Round((b - a) / (b + a), 6);
            }
            Assert.Equal(imbalance, e.Imbalance);
            Checked++;
        }
    }

    [Fact]
    public void Reused_feature_values_always_equal_fresh_ones()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 4]).Sample((seed, levels) =>
        {
            var random = new Random(seed);
            var checker = new Checker(levels);
            var handler = new MarketIngestHandler(Table, () => new BinanceFrameDecoder(Table), new FeatureConfig(imbalanceLevels: levels), checker);
            checker.Book = () => handler.Pipelines.SingleOrDefault()?.Book;
            var sequence = 0L;
            void Feed(FrameKind kind, string body) => handler.Handle(new IngestBatch("p", [new IngestFrame(sequence, DefaultTime,
                new FrameHeader(Tollgate.Markets.Instruments.MarketKind.Spot, kind, kind == FrameKind.DepthSnapshot ? "BTCUSDT" : null, DefaultTime),
                System.Text.Encoding.UTF8.GetBytes(body))]));
            decimal Price(decimal basis) => random.Next(3) switch { 0 => basis, 1 => decimal.Parse(basis.ToString("F1")), _ => decimal.Parse(basis.ToString("F4")) };

            Feed(FrameKind.Stream, DepthUpdate(SpotBtcUsdt, 1, 1, null, None, None));
            sequence++;
            Feed(FrameKind.DepthSnapshot, Snapshot(1, L((100m, 1m), (99m, 2m)), L((101m, 1m), (102m, 2m))));
            sequence++;
            Assert.True(handler.Pipelines.Single().Book.IsSynced);
            var id = 1L;
            var quoteId = 0L;
            for (var i = 0; i < 150; i++, sequence++)
            {
                if (random.Next(3) == 0)
                {
                    quoteId = Math.Max(quoteId, id) + random.Next(-1, 3);
                    Feed(FrameKind.Stream, BookTicker(SpotBtcUsdt, quoteId, Price(99m + random.Next(3)), random.Next(1, 4), Price(101m + random.Next(3)), random.Next(1, 4)));
                }
                else
                {
                    var bids = Enumerable.Range(0, random.Next(0, 3)).Select(_ => (Price(97m + random.Next(4)), (decimal)random.Next(0, 4))).ToArray();
                    var asks = Enumerable.Range(0, random.Next(0, 3)).Select(_ => (Price(101m + random.Next(4)), (decimal)random.Next(0, 4))).ToArray();
                    Feed(FrameKind.Stream, DepthUpdate(SpotBtcUsdt, id + 1, id + 1, null, bids, asks));
                    id++;
                }
            }
            Assert.True(checker.Checked > 20);
        }, iter: 200);
    }
}
