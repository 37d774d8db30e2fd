namespace Tollgate.Ledger.Bundles;

/// <summary>One thing verification found wrong with a bundle.</summary>
/// <param name="Reason">One of <see cref="BundleReason"/>.</param>
/// <param name="Subject">What is wrong, named as an auditor would look it up: a stored object, a file, a member.</param>
public sealed record BundleProblem(string Reason, string Subject, string Detail)
{
    public override string ToString() => $"{Reason} ({Subject}): {Detail}";
}
