namespace Tollgate.Evidence;

/// <summary>The one line of a sha256sum file: the declared hash (lowercased) and the recorded name.</summary>
internal sealed record ChecksumLine(string Sha256, string RecordedName)
{
    /// <summary>
    /// The recorded name's last path segment. sha256sum records the path it was given
    /// (<c>dist/x.tar.gz</c> when run from the repository root), and the bundle may be verified
    /// from anywhere, so only the file name is compared.
    /// </summary>
    public string FileName => RecordedName[(RecordedName.LastIndexOf('/') + 1)..];
}
