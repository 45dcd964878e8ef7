using Mixnet.Directory.Client;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>A connected directory: the client, what it said about itself, the address as the user wrote it, and the call settings.</summary>
public sealed record DirectorySession(DirectoryClient Client, Client.DirectoryInfo Info, string Address, DirectoryTarget Target);
