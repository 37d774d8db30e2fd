namespace Tollgate.Evidence;

/// <summary>What the archive's root VERSION file turned out to be.</summary>
internal enum VersionFileState
{
    /// <summary>The archive was not read, so nobody knows.</summary>
    Unknown,
    Absent,
    Valid,
    Invalid,
}
