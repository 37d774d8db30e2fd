namespace Tollgate.Release.Analysis;

/// <summary>A look's verdict. HARM and SAFE stop the test: every later look keeps the verdict.</summary>
public enum SequentialVerdict
{
    /// <summary>Monitoring, no boundary crossed yet: keep the canary running and look again.</summary>
    Continue,

    /// <summary>The HARM e-process reached 1/α: evidence the canary is worse in the bad direction. Roll back.</summary>
    Harm,

    /// <summary>The SAFE e-process reached 1/β: evidence the canary is within the margin (non-inferior). Promotable.</summary>
    Safe,

    /// <summary>A side is below the minimum sample: no decision, and the look does not count toward the e-processes.</summary>
    Insufficient,
}
