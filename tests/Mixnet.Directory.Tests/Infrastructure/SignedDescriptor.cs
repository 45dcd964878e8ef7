using Google.Protobuf;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>What a node sends in RegisterNode: the serialized descriptor and its signature.</summary>
public sealed record SignedDescriptor(ByteString Descriptor, ByteString Signature);
