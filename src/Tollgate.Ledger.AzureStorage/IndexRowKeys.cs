using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// Where each kind of index row lives in the table. Keys and correlation ids are user text, so they appear in
/// partition and row keys only as SHA-256 hex: no character the Table service forbids in a key, no length limit.
/// </summary>
internal static class IndexRowKeys
{
    /// <summary>Entry rows per partition: enough to keep a batch of consecutive entries in few transactions, few enough to spread load.</summary>
    public const long EntriesPerPartition = 1000;

    public const string EntryPrefix = "e";
    public const string KeyPrefix = "k";
    public const string CorrelationPrefix = "c";
    public const string MetaPartition = "meta";
    public const string IndexedSizeRow = "indexed-size";

    /// <summary>"e" + index / 1000, 17 digits: entry partitions sort in index order.</summary>
    public static string EntryPartition(long index) => EntryPrefix + (index / EntriesPerPartition).ToString("D17", CultureInfo.InvariantCulture);

    /// <summary>The index, 20 digits: rows sort in index order.</summary>
    public static string IndexRowKey(long index) => index.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>Two hex digits of the key's hash: 256 partitions, so a batch's key rows spread out.</summary>
    public static string KeyPartition(string keyHash) => KeyPrefix + keyHash[..2];

    /// <summary>
    /// Two hex digits of the correlation id's hash, like key rows: 256 partitions, so the correlation rows of a batch
    /// share transactions (one partition per id would cost a transaction per id, and ids are mostly short-lived).
    /// </summary>
    public static string CorrelationPartition(string correlationHash) => CorrelationPrefix + correlationHash[..2];

    /// <summary>The whole hash, then the index (20 digits): one id's rows are one row-key range, in index order.</summary>
    public static string CorrelationRowKey(string correlationHash, long index) => correlationHash + IndexRowKey(index);

    /// <summary>Row keys of one id run from its hash up to, not including, this bound ('~' sorts after every digit).</summary>
    public static string CorrelationRowKeyEnd(string correlationHash) => correlationHash + "~";

    public static bool TryParseCorrelationRowKey(string rowKey, out string correlationHash, out long index)
    {
        correlationHash = rowKey.Length == 84 ? rowKey[..64] : "";
        index = -1;
        return IsHash(correlationHash) && TryParseIndex(rowKey[64..], out index);
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 text.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    public static bool TryParseIndex(string rowKey, out long index)
    {
        index = -1;
        return rowKey.Length == 20 && long.TryParse(rowKey, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
