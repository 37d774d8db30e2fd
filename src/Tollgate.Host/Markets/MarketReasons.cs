namespace Tollgate.Host.Markets;

/// <summary>Reason codes of the market API.</summary>
public static class MarketReasons
{
    public const string UnknownInstrument = "MKT_UNKNOWN_INSTRUMENT";
    public const string NotRunning = "MKT_NOT_RUNNING";
    public const string PlaneOff = "MKT_PLANE_OFF";
    public const string InvalidRequest = "MKT_INVALID_REQUEST";
}
