namespace Tollgate.Release.Pipeline;

/// <summary>
/// A pipeline stage's outcome. Two values only: a stage either lets the release go on or stops it, and the
/// reason codes say why it stopped.
/// </summary>
public enum StageVerdict
{
    /// <summary>No reason code: the release may go on to the next stage.</summary>
    Pass,

    /// <summary>At least one reason code: the release stops here.</summary>
    Fail,
}
