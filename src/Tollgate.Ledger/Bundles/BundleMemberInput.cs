namespace Tollgate.Ledger.Bundles;

/// <summary>One member to seal into a bundle.</summary>
/// <param name="Role">One of <see cref="BundleRoles.All"/>, except the roles built from the ledger.</param>
/// <param name="Name">1-200 characters of [A-Za-z0-9._-], unique in the bundle; the file name in an export.</param>
/// <param name="MediaType">How to read the bytes, e.g. <c>application/json</c>.</param>
public sealed record BundleMemberInput(string Role, string Name, string MediaType, ReadOnlyMemory<byte> Content);
