namespace Tollgate.Markets.Events;

/// <summary>One price level of a book: the absolute quantity resting at the price (0 in a delta removes the level).</summary>
public readonly record struct PriceLevel(decimal Price, decimal Quantity);
