using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>How the Blob service's refusals map onto the ledger's outcomes.</summary>
internal static class BlobFailures
{
    /// <summary>An If-None-Match: * create found the blob there: 409 BlobAlreadyExists, or 412 from some gateways and emulators.</summary>
    public static bool IsAlreadyExists(RequestFailedException e) =>
        (e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists) || (e.Status == 412 && e.ErrorCode == BlobErrorCode.ConditionNotMet);

    public static LedgerException NotFound(BlobContainerClient container, string name, RequestFailedException e) =>
        e.ErrorCode == BlobErrorCode.ContainerNotFound
            ? new LedgerException(LedgerReason.NotFound, $"No ledger container '{container.Name}' (creating the ledger makes it); wanted {name}.")
            : new LedgerException(LedgerReason.NotFound, $"No {name} in ledger container '{container.Name}'.");
}
