namespace Tollgate.Evidence;

/// <summary>How reading a small evidence file ended, when it did not yield its text.</summary>
internal enum FileReadFailure
{
    None,
    Missing,
    Unreadable,
}
