using System.Security.Cryptography;
using System.Text.Json;

namespace Tollgate.Markets.Features;

/// <summary>
/// A feature sink that writes every event as a JSON line (<see cref="FeatureEventJson"/>) to an optional stream and
/// hashes the bytes as it goes, so two runs can be compared by their SHA-256 without keeping the output.
/// </summary>
public sealed class FeatureEventLog : IFeatureSink, IDisposable
{
    private readonly Stream? output;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly System.Buffers.ArrayBufferWriter<byte> written = new(1024);
    private readonly Utf8JsonWriter json;

    public FeatureEventLog(Stream? output)
    {
        this.output = output;
        json = new Utf8JsonWriter(written, new JsonWriterOptions { SkipValidation = true });
    }

    public long Count { get; private set; }

    public void OnFeatures(in FeatureEvent features)
    {
        FeatureEventJson.Write(json, features);
        json.Flush();
        System.Buffers.BuffersExtensions.Write(written, "\n"u8);
        var bytes = written.WrittenSpan;
        hash.AppendData(bytes);
        output?.Write(bytes);
        written.ResetWrittenCount();
        json.Reset();
        Count++;
    }

    /// <summary>The SHA-256 of every line written so far, as <c>sha256:hex</c>.</summary>
    public string Sha256() => "sha256:" + Convert.ToHexStringLower(hash.GetCurrentHash());

    public void Dispose()
    {
        json.Dispose();
        hash.Dispose();
        output?.Flush();
    }
}
