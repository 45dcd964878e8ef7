using CsCheck;
using Mixnet.Directory.Signing;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Property;

public sealed class SignaturePropertyTests
{
    private static readonly SignatureDomain[] Domains = Enum.GetValues<SignatureDomain>();

    // Payloads mostly small, some past the 64 KiB at which Verify stops renting from the shared pool.
    private static readonly Gen<byte[]> Payload = Gen.Frequency(
        (8, (IGen<byte[]>)Gen.Byte.Array[0, 600]),
        (1, Gen.Int[(64 * 1024) - 80, (64 * 1024) + 80].Select(n => new byte[n])));

    private Key _key = null!;
    private byte[] _publicKey = null!;

    [OneTimeSetUp]
    public void CreateKey()
    {
        _key = Key.Create(SignatureAlgorithm.Ed25519);
        _publicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public void Verify_ValidSignature_TrueWithBothOverloadsAndOnlyForItsDomain() =>
        Gen.Select(Gen.OneOf(Domains), Payload).Sample((domain, payload) =>
        {
            var signature = DirectorySignatures.Sign(_key, domain, payload);
            var prefixed = DirectorySignatures.NewPrefixedBuffer(domain, payload.Length);
            payload.CopyTo(prefixed, prefixed.Length - payload.Length);
            return DirectorySignatures.Verify(_publicKey, domain, payload, signature)
                && DirectorySignatures.Verify(_key.PublicKey, domain, payload, signature)
                && DirectorySignatures.Verify(_publicKey, domain, payload, DirectorySignatures.SignPrefixed(_key, domain, prefixed))
                && Domains.Where(d => d != domain).All(other => !DirectorySignatures.Verify(_publicKey, other, payload, signature));
        }, iter: 200);

    [Test]
    public void Verify_OneBitFlippedInKeySignatureOrPayload_False() =>
        Gen.Select(Gen.OneOf(Domains), Gen.Byte.Array[1, 300], Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Int[0, 7]).Sample((domain, payload, part, where, bit) =>
        {
            var signature = DirectorySignatures.Sign(_key, domain, payload);
            var key = (byte[])_publicKey.Clone();
            var target = part switch { 0 => key, 1 => signature, _ => payload };
            target[where % target.Length] ^= (byte)(1 << bit);
            return !DirectorySignatures.Verify(key, domain, payload, signature);
        }, iter: 500);

    [Test]
    public void Verify_RandomKeySignatureAndPayload_FalseNeverThrows() =>
        Gen.Select(Gen.OneOf(Domains), KeyLike, SignatureLike, Gen.Byte.Array[0, 200])
            .Sample((domain, key, signature, payload) => !DirectorySignatures.Verify(key, domain, payload, signature), iter: 1_000);

    [Test]
    public void Verify_ImportedKeyAndRandomSignature_FalseNeverThrows() =>
        Gen.Select(Gen.OneOf(Domains), SignatureLike, Gen.Byte.Array[0, 200])
            .Sample((domain, signature, payload) => !DirectorySignatures.Verify(_key.PublicKey, domain, payload, signature), iter: 1_000);

    [Test]
    public void KeyFingerprint_TryParse_AnyText_NeverThrowsAndOnly32ByteKeys() =>
        Gen.Frequency((1, (IGen<string>)Gen.String), (1, Gen.Char["0123456789abcdefABCDEF+/= "].Array[0, 70].Select(c => new string(c))))
            .Sample(text => KeyFingerprint.TryParse(text, out var key) ? key.Length == DirectorySignatures.PublicKeySize : key.Length == 0, iter: 2_000);

    // Keys and signatures of the right length most of the time (so the curve code runs), any length otherwise.
    private static Gen<byte[]> KeyLike => Gen.Frequency(
        (6, (IGen<byte[]>)Gen.Byte.Array[DirectorySignatures.PublicKeySize]),
        (1, Gen.OneOf(new byte[32], Enumerable.Repeat((byte)0xff, 32).ToArray(), Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"))),
        (1, Gen.Byte.Array[0, 40]));

    private static Gen<byte[]> SignatureLike => Gen.Frequency(
        (6, (IGen<byte[]>)Gen.Byte.Array[DirectorySignatures.SignatureSize]),
        // The last: R is the identity point and S is zero, which a verifier without small-order checks accepts under a small-order key.
        (1, Gen.OneOf(new byte[64], Enumerable.Repeat((byte)0xff, 64).ToArray(), Convert.FromHexString("01" + new string('0', 126)))),
        (1, Gen.Byte.Array[0, 80]));
}
