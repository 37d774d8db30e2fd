namespace Tollgate.Markets.Quality;

/// <summary>A data-quality event (seed 002 B.1: gaps and the "continuous gap" alert go to <c>metrics:{events}</c>).</summary>
public enum DataQualityKind : byte
{
    /// <summary>MKT-BOOK-GAP: a depth update was missed; the book is dropped and a snapshot requested.</summary>
    Gap,
    /// <summary>MKT-SNAPSHOT-STALE: the snapshot was older than the stream; another one is requested.</summary>
    SnapshotStale,
    /// <summary>MKT-BOOK-RESYNCED: a snapshot and the buffered updates after it rebuilt the book.</summary>
    Resynced,
    /// <summary>MKT-CONTINUOUS-GAP: gaps keep coming, or the book has been out of sync too long.</summary>
    ContinuousGap,
    /// <summary>MKT-CONTINUOUS-GAP-CLEARED: the book is back in sync and gaps have stopped.</summary>
    ContinuousGapCleared,
}

/// <summary>One data-quality event; rare, so a class.</summary>
/// <param name="At">Tollgate's receive time of the frame that caused it.</param>
public sealed record DataQualityEvent(string InstrumentKey, DataQualityKind Kind, string Detail, DateTimeOffset At)
{
    public string Code => Kind switch
    {
        DataQualityKind.Gap => "MKT-BOOK-GAP",
        DataQualityKind.SnapshotStale => "MKT-SNAPSHOT-STALE",
        DataQualityKind.Resynced => "MKT-BOOK-RESYNCED",
        DataQualityKind.ContinuousGap => "MKT-CONTINUOUS-GAP",
        DataQualityKind.ContinuousGapCleared => "MKT-CONTINUOUS-GAP-CLEARED",
        _ => throw new InvalidOperationException($"unknown data-quality kind {Kind}"),
    };
}

public interface IDataQualitySink
{
    void OnDataQuality(DataQualityEvent e);
}
