namespace Tollgate.Ledger.Bundles;

/// <summary>A bundle request that was refused or could not be carried out; <see cref="Reason"/> is one of <see cref="BundleReason"/>.</summary>
public sealed class BundleException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
