namespace Tollgate.Evidence;

/// <summary>
/// What one read of a bundle file measured. The archive fields are null when the bundle is not a
/// .tar.gz/.tgz or its archive could not be read; the hash and size are still known then.
/// </summary>
internal sealed record BundleInspection(
    string FileName,
    string? Stem,
    string Sha256,
    long SizeBytes,
    int? MemberCount,
    long? MemberBytes,
    VersionFileState VersionFile,
    string? VersionFileContent)
{
    public bool ArchiveRead => MemberCount is not null;

    /// <summary>The version_file fact: the content when valid, else absent/invalid/unknown.</summary>
    public string VersionFileFact => VersionFile switch
    {
        VersionFileState.Valid => VersionFileContent!,
        VersionFileState.Absent => "absent",
        VersionFileState.Invalid => "invalid",
        _ => "unknown",
    };
}
