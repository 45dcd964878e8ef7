using Mixnet.Directory.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultDirectoryEndpoints();
builder.AddMixnetDirectory();

var app = builder.Build();
app.MapMixnetDirectory();
app.Run();

/// <summary>The entry point, visible to tests and tools that host the directory in-process.</summary>
public partial class Program;
