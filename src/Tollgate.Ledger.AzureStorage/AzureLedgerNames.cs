using System.Text.RegularExpressions;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// The storage resources of one ledger, named after a prefix (the host uses its task hub, lower case) the way the
/// durable engine names its own: the container <c>&lt;prefix&gt;-ledger</c> (lower case, as container names must be)
/// and the table <c>&lt;prefix&gt;LedgerIndex</c>.
/// </summary>
public sealed partial class AzureLedgerNames
{
    public const string DefaultPrefix = "tollgate";

    /// <summary>The longest prefix that keeps the table name within the service's 63 characters (63 - "LedgerIndex".Length).</summary>
    public const int MaxPrefixLength = 52;

    private const string ContainerSuffix = "-ledger";
    private const string TableSuffix = "LedgerIndex";

    /// <param name="prefix">1-52 ASCII letters or digits, starting with a letter.</param>
    /// <exception cref="ArgumentException">The prefix is not valid (the parameter is named).</exception>
    public AzureLedgerNames(string prefix = DefaultPrefix)
    {
        if (prefix is null || !Prefix().IsMatch(prefix))
            throw new ArgumentException(
                $"A ledger prefix must be 1-{MaxPrefixLength} ASCII letters or digits and start with a letter (it names a container and a table); got '{prefix}'.",
                nameof(prefix));
        NamePrefix = prefix;
        Container = prefix.ToLowerInvariant() + ContainerSuffix;
        Table = prefix + TableSuffix;
    }

    public string NamePrefix { get; }

    /// <summary>The Blob container holding segments, checkpoints, the verifier key and bundles (<c>&lt;prefix&gt;-ledger</c>).</summary>
    public string Container { get; }

    /// <summary>The table holding the lookup index (<c>&lt;prefix&gt;LedgerIndex</c>).</summary>
    public string Table { get; }

    public override string ToString() => $"container {Container}, table {Table}";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,51}$")]
    private static partial Regex Prefix();
}
