using System.Security.Cryptography;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Tests.Unit.Validation;

public sealed class KeyFingerprintTests
{
    [Test]
    public void Of_Key_Sha256PrefixAnd43UnpaddedBase64Chars()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var fingerprint = KeyFingerprint.Of(key);

        Assert.Multiple(() =>
        {
            Assert.That(fingerprint, Does.Match("^SHA256:[A-Za-z0-9+/]{43}$"));
            Assert.That(Convert.FromBase64String(fingerprint["SHA256:".Length..] + "="), Is.EqualTo(SHA256.HashData(key)));
        });
    }

    [Test]
    public void Of_KnownKey_KnownFingerprint()
    {
        // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
        var expected = "SHA256:" + Convert.ToBase64String(Convert.FromHexString("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")).TrimEnd('=');

        Assert.That(KeyFingerprint.Of(new byte[32]), Is.EqualTo(expected));
    }

    [Test]
    public void Of_DifferentKeys_DifferentFingerprints() =>
        Assert.That(KeyFingerprint.Of(new byte[32]), Is.Not.EqualTo(KeyFingerprint.Of(Enumerable.Repeat((byte)1, 32).ToArray())));

    [Test]
    public void Hex_Key_LowerCase64Digits()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

        Assert.That(KeyFingerprint.Hex(key), Is.EqualTo(Convert.ToHexString(key).ToLowerInvariant()));
    }

    [Test]
    public void Abbreviate_Key_First8HexDigits() =>
        Assert.That(KeyFingerprint.Abbreviate(new byte[] { 0xAB, 0xCD, 0xEF, 0x01, 0x23 }), Is.EqualTo("abcdef01"));

    [Test]
    public void TryParse_LowerAndUpperHex_ReturnsKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        Assert.Multiple(() =>
        {
            Assert.That(KeyFingerprint.TryParse(Convert.ToHexStringLower(key), out var lower), Is.True);
            Assert.That(lower, Is.EqualTo(key));
            Assert.That(KeyFingerprint.TryParse(" " + Convert.ToHexString(key) + "\n", out var upper), Is.True);
            Assert.That(upper, Is.EqualTo(key));
        });
    }

    [Test]
    public void TryParse_Base64_ReturnsKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        Assert.Multiple(() =>
        {
            Assert.That(KeyFingerprint.TryParse(Convert.ToBase64String(key), out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(key));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("zz")]
    [TestCase("not base64 at all!")]
    [TestCase("0011")]
    [TestCase("AAAA")]
    [TestCase("gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")]
    public void TryParse_NotA32ByteKey_FalseAndEmpty(string? text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(KeyFingerprint.TryParse(text, out var key), Is.False);
            Assert.That(key, Is.Empty);
        });
    }

    [Test]
    public void TryParse_Base64Of31Or33Bytes_False()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KeyFingerprint.TryParse(Convert.ToBase64String(new byte[31]), out _), Is.False);
            Assert.That(KeyFingerprint.TryParse(Convert.ToBase64String(new byte[33]), out _), Is.False);
        });
    }
}
