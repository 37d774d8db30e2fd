using System.Text.Json;
using Tollgate.Cli.Governance;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Commands;

/// <summary>Files a command hands the host: JSON read and checked here, or content uploaded to the object store by digest.</summary>
internal static class InputFiles
{
    /// <summary>The file's JSON, or null without a path; a missing file or bad JSON is refused before anything is sent.</summary>
    public static async Task<JsonElement?> JsonAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No file '{path}'.");
        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RequestRefusedException("MALFORMED_JSON", $"{path} is not JSON: {e.Message}");
        }
    }

    /// <summary>Uploads the file to <c>/api/objects</c> and returns its <c>sha256:</c> digest, or null without a path.</summary>
    public static async Task<string?> UploadAsync(TollgateApi api, string? path, CancellationToken cancellationToken)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No file '{path}'.");
        return (await api.PutBytesAsync("api/objects", await File.ReadAllBytesAsync(path, cancellationToken), cancellationToken)).Text("digest");
    }
}
