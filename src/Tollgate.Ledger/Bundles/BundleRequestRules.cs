using Tollgate.Ledger.Entries;

namespace Tollgate.Ledger.Bundles;

/// <summary>Checks a <see cref="BundleRequest"/> whole before anything is read or written, so a refusal leaves no trace.</summary>
internal static class BundleRequestRules
{
    /// <summary>The request's ledger indexes, ascending.</summary>
    /// <exception cref="BundleException">With the first rule the request breaks.</exception>
    public static IReadOnlyList<long> Check(BundleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!BundleRules.IsId(request.EventRef))
            throw Bad($"EventRef must be 1-{BundleLimits.MaxIdLength} printable ASCII characters without spaces, like a ledger id.");
        if (request.Environment is { } environment && !LedgerEnvironments.IsKnown(environment))
            throw Bad($"Environment must be null or one of {string.Join(", ", LedgerEnvironments.All)}.");
        if (!BundleRules.IsText(request.CreatedBy))
            throw Bad($"CreatedBy must be 1-{BundleLimits.MaxIdLength} characters without control characters.");
        if (request.Members is null || request.LedgerIndexes is null) throw Bad("Members and LedgerIndexes must not be null (use empty lists).");
        if (request.Members.Count == 0 && request.LedgerIndexes.Count == 0) throw Bad("A bundle needs at least one member or ledger index.");
        if (request.Members.Count + (request.LedgerIndexes.Count > 0 ? BundleRoles.BuiltFromLedger.Count : 0) > BundleLimits.MaxMembers)
            throw new BundleException(BundleReason.TooLarge, $"A bundle holds at most {BundleLimits.MaxMembers} members, the ledger's three included.");

        // Case-insensitive, so an export unpacks the same on every file system.
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (request.LedgerIndexes.Count > 0) names.UnionWith(BundleLedgerMembers.Names.Select(pair => pair.Name));
        foreach (var member in request.Members)
        {
            if (member is null) throw Bad("A member is null.");
            if (member.Role is null || !BundleRoles.IsKnown(member.Role))
                throw new BundleException(BundleReason.UnknownRole,
                    $"Unknown role '{BundleRules.Printable(member.Role ?? "")}'; known: {string.Join(", ", BundleRoles.All.Select(role => role.Name))}.");
            if (BundleRoles.BuiltFromLedger.Contains(member.Role))
                throw Bad($"Role '{member.Role}' is built from the ledger: list the entries in LedgerIndexes instead, so they carry proofs.");
            if (BundleRules.NameProblem(member.Name) is { } problem) throw Bad(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
            if (!names.Add(member.Name))
                throw new BundleException(BundleReason.DuplicateMember, $"Member name '{member.Name}' is used twice (names are unique in a bundle, ignoring case).");
            if (!BundleRules.IsMediaType(member.MediaType))
                throw Bad($"Member '{member.Name}' needs a media type like 'application/json' (printable ASCII, at most {BundleLimits.MaxMediaTypeLength}).");
            if (member.Content.Length > BundleLimits.MaxMemberBytes)
                throw new BundleException(BundleReason.TooLarge, $"Member '{member.Name}' has {member.Content.Length} bytes; at most {BundleLimits.MaxMemberBytes} are allowed.");
        }

        if (request.LedgerIndexes.Count > BundleLimits.MaxLedgerIndexes)
            throw new BundleException(BundleReason.TooLarge, $"A bundle carries at most {BundleLimits.MaxLedgerIndexes} ledger entries.");
        var indexes = request.LedgerIndexes.Order().ToList();
        for (var i = 0; i < indexes.Count; i++)
        {
            if (indexes[i] < 0) throw Bad($"Ledger index {indexes[i]} is negative.");
            if (i > 0 && indexes[i] == indexes[i - 1]) throw Bad($"Ledger index {indexes[i]} is listed twice.");
        }
        return indexes;
    }

    private static BundleException Bad(string message) => new(BundleReason.BadRequest, message);
}
