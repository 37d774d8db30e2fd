namespace Tollgate.Ledger.Bundles;

/// <summary>A member as the manifest lists it; its bytes are the write-once object named by <see cref="Sha256"/>.</summary>
/// <param name="Sha256">Lowercase hex SHA-256 of the bytes.</param>
/// <param name="Size">The length of the bytes.</param>
public sealed record BundleMember(string Role, string Name, string MediaType, string Sha256, long Size);
