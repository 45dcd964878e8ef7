using Mixnet.Directory.Server.Hosting;

return DirectoryProgram.Run(args);

/// <summary>The entry point, visible to tests and tools that host the directory in-process.</summary>
public partial class Program;
