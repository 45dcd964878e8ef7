using System.ComponentModel;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>The options of the <c>mixdir node</c> commands that act as a node: its identity file.</summary>
public class NodeIdentitySettings : DirectorySettings
{
    [CommandOption("-i|--identity <PATH>")]
    [Description("The node's identity file, as 'mixdir keygen' writes it (default: node.identity).")]
    [DefaultValue(KeygenSettings.DefaultPath)]
    public string IdentityPath { get; init; } = KeygenSettings.DefaultPath;
}
