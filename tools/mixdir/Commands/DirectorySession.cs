using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>A connected directory: the client, what it said about itself, and the address as the user wrote it.</summary>
public sealed record DirectorySession(DirectoryClient Client, Client.DirectoryInfo Info, string Address);
