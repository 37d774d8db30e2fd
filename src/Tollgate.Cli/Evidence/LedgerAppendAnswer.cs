using System.Text.Json;
using Tollgate.Ledger.Writing;

namespace Tollgate.Cli.Evidence;

/// <summary>
/// What the host answered to <see cref="Http.TollgateApi.AppendLedgerEntryAsync"/>: the append's receipt (a new
/// entry, or the same bytes already stored), or, when the key already held an entry with other bytes, that entry.
/// Exactly one of the two is set.
/// </summary>
public sealed record LedgerAppendAnswer(AppendReceipt? Receipt, LedgerKeyHolder? KeyHolder);

/// <summary>The entry that holds a key, as <c>GET api/ledger/entries?key=</c> answers it.</summary>
public sealed record LedgerKeyHolder(long Index, string LeafHash, JsonElement Entry);
