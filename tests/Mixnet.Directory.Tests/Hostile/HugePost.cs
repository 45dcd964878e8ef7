namespace Mixnet.Directory.Tests.Hostile;

/// <summary>What <see cref="RawHttp1.PostHugeAsync"/> saw.</summary>
/// <param name="Answer">The status line and headers the server sent.</param>
/// <param name="BodyBytesSent">Body bytes written before the answer arrived or the server closed the connection.</param>
public sealed record HugePost(string Answer, long BodyBytesSent);
