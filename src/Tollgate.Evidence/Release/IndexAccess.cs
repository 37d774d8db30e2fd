namespace Tollgate.Evidence;

/// <summary>How an attempt to read or open the index ended.</summary>
internal enum IndexAccess
{
    Done,
    Missing,
    Busy,
    Failed,
}
