using System.Security.Cryptography;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>The development key file: created once with owner-only permissions, then reloaded.</summary>
public sealed class DevSigningKeyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tollgate-devkey-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Creates_the_key_and_its_directory_on_first_use_then_reloads_it()
    {
        var path = Path.Combine(_directory, "nested", "dev.key");

        using var created = DevSigningKey.LoadOrCreate(path, "dev.tollgate/ledger");
        var pem = File.ReadAllText(path);
        using var reloaded = DevSigningKey.LoadOrCreate(path, "dev.tollgate/ledger");

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        Assert.Equal(created.VerifierKey, reloaded.VerifierKey);
        Assert.Equal(pem, File.ReadAllText(path));
        Assert.Equal(["dev.key"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void The_key_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(_directory, "dev.key");

        using var _ = DevSigningKey.LoadOrCreate(path, "k");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Racing_creators_all_end_up_with_the_same_key()
    {
        var path = Path.Combine(_directory, "race", "dev.key");

        var verifierKeys = new string[16];
        Parallel.For(0, verifierKeys.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            using var signer = DevSigningKey.LoadOrCreate(path, "k");
            verifierKeys[i] = signer.VerifierKey;
        });

        Assert.Single(verifierKeys.Distinct());
        Assert.Equal(["dev.key"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void The_same_file_gives_the_same_key_under_another_name()
    {
        var path = Path.Combine(_directory, "dev.key");
        using var first = DevSigningKey.LoadOrCreate(path, "a");
        using var second = DevSigningKey.LoadOrCreate(path, "b");

        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal("b", second.KeyName);
    }

    [Fact]
    public void A_file_that_holds_no_key_is_refused_not_replaced()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "dev.key");
        File.WriteAllText(path, "not a key");

        var error = Assert.Throws<NoteFormatException>(() => DevSigningKey.LoadOrCreate(path, "k"));

        Assert.Equal(NoteReason.BadPrivateKey, error.Reason);
        Assert.Equal("not a key", File.ReadAllText(path));
    }

    [Fact]
    public void An_existing_pkcs8_key_is_used_as_it_is()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "dev.key");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        using var expected = new EcdsaNoteSigner("k", ECDsa.Create(key.ExportParameters(includePrivateParameters: true)));

        using var loaded = DevSigningKey.LoadOrCreate(path, "k");

        Assert.Equal(expected.VerifierKey, loaded.VerifierKey);
    }
}
