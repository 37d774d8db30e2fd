using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Governance.Secrets;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Release.Tests.Pipeline;

/// <summary>The sample reports under Pipeline/Data, copied next to the test assembly.</summary>
internal static class PipelineData
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Pipeline", "Data", name));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The RFC 8785 bytes the ledger would store for a stage record's JSON.</summary>
    public static string Canonical(JsonObject json) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(json));
}

/// <summary>A secret store over a dictionary that records every read (name and purpose), as the real stores log them.</summary>
internal sealed class RecordingSecretStore(Dictionary<string, string> values) : ISecretStore
{
    public List<(string Name, string Purpose)> Reads { get; } = [];

    public Task<string?> GetAsync(string name, string purpose, CancellationToken cancellationToken)
    {
        Reads.Add((name, purpose));
        return Task.FromResult(values.GetValueOrDefault(name));
    }
}

/// <summary>A fresh directory per test, removed afterwards.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tollgate-pipeline-" + Guid.NewGuid().ToString("N"));

    public ScratchDirectory() => Directory.CreateDirectory(Path);

    public string Write(string name, ReadOnlySpan<byte> content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, content.ToArray());
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
