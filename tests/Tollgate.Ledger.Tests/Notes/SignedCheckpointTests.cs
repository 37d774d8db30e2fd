using System.Security.Cryptography;
using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>Checkpoints signed as notes, the way the ledger publishes its tree heads.</summary>
public sealed class SignedCheckpointTests
{
    [Fact]
    public void A_signed_checkpoint_opens_and_parses_back()
    {
        using var signer = new EcdsaNoteSigner("tollgate.example/ledger", ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var checkpoint = new Checkpoint("tollgate.example/ledger", 1234, SHA256.HashData("root"u8), []);

        var note = signer.SignNote(checkpoint.ToNoteText());
        var opened = Checkpoint.ParseNoteText(EcdsaNoteVerifier.Parse(signer.VerifierKey).Open(note));

        Assert.Equal(checkpoint, opened);
    }

    [Fact]
    public void Changing_any_byte_of_a_signed_checkpoint_never_passes()
    {
        using var signer = new EcdsaNoteSigner("tollgate.example/ledger", ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var checkpoint = new Checkpoint("tollgate.example/ledger", 987654321, SHA256.HashData("root"u8), ["extension line"]);
        var verifier = EcdsaNoteVerifier.Parse(signer.VerifierKey);
        var note = Encoding.UTF8.GetBytes(signer.SignNote(checkpoint.ToNoteText()));

        TamperCheck.EveryByte(note, tampered => Checkpoint.ParseNoteText(verifier.Open(tampered)));
    }
}
