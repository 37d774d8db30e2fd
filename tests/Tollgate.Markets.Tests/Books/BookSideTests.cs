using CsCheck;
using Tollgate.Markets.Books;
using Tollgate.Markets.Events;
using Tollgate.Markets.Tests.Support;

namespace Tollgate.Markets.Tests.Books;

public sealed class BookSideTests
{
    private static OrderBook Book() => new BookSynchronizer(TestInstruments.SpotBtcUsdt).Book;

    [Fact]
    public void Bids_are_best_highest_first_and_asks_best_lowest_first()
    {
        var book = Book();
        foreach (var p in new[] { 99m, 101m, 100m, 98.5m }) book.Bids.Set(p, p / 100);
        foreach (var p in new[] { 103m, 102m, 104.5m, 102.5m }) book.Asks.Set(p, 1m);
        Assert.Equal([101m, 100m, 99m, 98.5m], BookImage.Side(book.Bids).Select(l => l.Price));
        Assert.Equal([102m, 102.5m, 103m, 104.5m], BookImage.Side(book.Asks).Select(l => l.Price));
        Assert.Equal(new PriceLevel(101m, 1.01m), book.Bids.Best);
        Assert.Equal(new PriceLevel(102m, 1m), book.Asks.Best);
        Assert.Equal(new PriceLevel(100m, 1m), book.Bids[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => book.Bids[4]);
    }

    [Fact]
    public void Quantity_zero_removes_the_level()
    {
        var book = Book();
        book.Bids.Set(100m, 1m);
        book.Bids.Set(99m, 2m);
        book.Bids.Set(100m, 0m);
        Assert.Equal([new PriceLevel(99m, 2m)], BookImage.Side(book.Bids));
    }

    [Fact]
    public void Removing_an_absent_level_is_a_no_op()
    {
        var book = Book();
        book.Asks.Set(101m, 1m);
        book.Asks.Set(105m, 0m);
        book.Asks.Set(100m, 0m);
        book.Bids.Set(1m, 0m);
        Assert.Equal([new PriceLevel(101m, 1m)], BookImage.Side(book.Asks));
        Assert.True(book.Bids.IsEmpty);
    }

    [Fact]
    public void A_price_is_one_level_whatever_its_scale()
    {
        var book = Book();
        book.Bids.Set(100.5m, 1m);
        book.Bids.Set(100.50000000m, 3m);
        Assert.Equal(1, book.Bids.Count);
        Assert.Equal(3m, book.Bids.Best.Quantity);
        book.Bids.Set(100.500m, 0m);
        Assert.True(book.Bids.IsEmpty);
    }

    [Fact]
    public void Top_quantities_and_copies_are_best_first()
    {
        var book = Book();
        for (var i = 1; i <= 200; i++) book.Asks.Set(100m + i, i); // past the initial capacity
        Assert.Equal(200, book.Asks.Count);
        Assert.Equal(1m + 2m + 3m, book.Asks.QuantityOfTop(3));
        Assert.Equal(Enumerable.Range(1, 200).Sum(), (int)book.Asks.QuantityOfTop(1000));
        var top = new PriceLevel[2];
        Assert.Equal(2, book.Asks.CopyTop(top, 5));
        Assert.Equal([new PriceLevel(101m, 1m), new PriceLevel(102m, 2m)], top);
    }

    [Fact]
    public void Random_sets_agree_with_a_sorted_dictionary()
    {
        Gen.Select(Gen.Int[0, 60], Gen.Int[0, 3]).Array[0, 400].Sample(ops =>
        {
            var book = Book();
            var model = new SortedDictionary<decimal, decimal>();
            foreach (var (tick, q) in ops)
            {
                var price = 100m + tick * 0.25m;
                book.Bids.Set(price, q);
                if (q == 0) model.Remove(price); else model[price] = q;
            }
            Assert.Equal(model.Reverse().Select(kv => new PriceLevel(kv.Key, kv.Value)), BookImage.Side(book.Bids));
        }, iter: 500);
    }
}
