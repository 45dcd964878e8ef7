using CsCheck;
using Google.Protobuf;
using Mixnet.Directory.Fuzz;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Property;

public sealed class DescriptorPropertyTests
{
    private Key _key = null!;
    private ByteString _identity = null!;

    [OneTimeSetUp]
    public void CreateKey()
    {
        _key = Key.Create(SignatureAlgorithm.Ed25519);
        _identity = ByteString.CopyFrom(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public void ValidDescriptor_SignedAndSent_AcceptedAndRoundTrips() =>
        DescriptorGen.Valid.Sample(make =>
        {
            var descriptor = make(_identity);
            PropertyFailure.Unless(NodeDescriptorRules.Validate(descriptor) is null, $"refused: {NodeDescriptorRules.Validate(descriptor)}");
            PropertyFailure.Unless(HostRules.Canonicalize(descriptor.Host) is not null, "host has no canonical form");
            var outcome = DescriptorTarget.Run(Request(descriptor.ToByteArray()));
            PropertyFailure.Unless(outcome.Accepted, $"the directory's path says {outcome}");
            PropertyFailure.Unless(NodeDescriptor.Parser.ParseFrom(descriptor.ToByteArray()).Equals(descriptor), "does not round-trip");
        }, iter: 500);

    [Test]
    public void MutatedRegisterRequest_DocumentedOutcomeOnly() =>
        DescriptorGen.Valid.SelectMany(make => DescriptorGen.Mutate(Request(make(_identity).ToByteArray()))).Sample(bytes =>
        {
            var outcome = DescriptorTarget.Run(bytes);
            PropertyFailure.Unless(outcome.Accepted || IsDocumentedField(outcome.Field), $"refused naming '{outcome.Field}'");
        }, iter: 1_000);

    [Test]
    public void MutatedDescriptorBytes_Resigned_AcceptedOrRefusedOnADescriptorField() =>
        DescriptorGen.Valid.SelectMany(make => DescriptorGen.Mutate(make(_identity).ToByteArray())).Sample(bytes =>
        {
            var outcome = DescriptorTarget.Run(Request(bytes));
            PropertyFailure.Unless(
                outcome.Accepted || outcome.Field is "descriptor" || outcome.Field!.StartsWith("descriptor.", StringComparison.Ordinal)
                    || (outcome.Field == "signature" && !KeyIs(bytes, _identity)),
                $"refused naming '{outcome.Field}'");
        }, iter: 1_000);

    [Test]
    public void RandomBytes_DocumentedOutcomeOnly() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var outcome = DescriptorTarget.Run(bytes);
            return outcome.Accepted || IsDocumentedField(outcome.Field);
        }, iter: 2_000);

    [Test]
    public void NodeRegistry_MutatedRegistration_RegistersOrRefusesWithDirectoryException()
    {
        using var harness = new RegistryHarness();
        var now = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = harness.Now.ToUnixTimeSeconds() };
        DescriptorGen.Valid.Select(make => { var d = make(_identity); d.SignedAt = now; return d.ToByteArray(); })
            .SelectMany(DescriptorGen.Mutate)
            .Sample(bytes =>
            {
                var signature = ByteString.CopyFrom(DirectorySignatures.Sign(_key, SignatureDomain.NodeDescriptor, bytes));
                try
                {
                    harness.Registry.Register(ByteString.CopyFrom(bytes), signature);
                }
                catch (DirectoryException ex)
                {
                    PropertyFailure.Unless(ex.Field.Length > 0 || ex.Kind != DirectoryErrorKind.InvalidArgument, "an InvalidArgument refusal names no field");
                }
            }, iter: 500, threads: 1);
    }

    private byte[] Request(byte[] descriptor) => new RegisterNodeRequest
    {
        Descriptor_ = ByteString.CopyFrom(descriptor),
        Signature = ByteString.CopyFrom(DirectorySignatures.Sign(_key, SignatureDomain.NodeDescriptor, descriptor)),
    }.ToByteArray();

    private static bool IsDocumentedField(string? field) =>
        field is FuzzOutcome.Unparsable or "descriptor" or "signature" || field?.StartsWith("descriptor.", StringComparison.Ordinal) == true;

    // A mutation can change the identity key itself; then the signature no longer matches it.
    private static bool KeyIs(byte[] descriptor, ByteString identity)
    {
        try
        {
            return NodeDescriptor.Parser.ParseFrom(descriptor).IdentityKey == identity;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
