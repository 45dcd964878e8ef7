using Google.Protobuf;

namespace Mixnet.Directory.Tests.Unit.Support;

/// <summary>What a node sends in RegisterNode: the serialized descriptor and its signature.</summary>
internal sealed record SignedDescriptor(ByteString Descriptor, ByteString Signature);
