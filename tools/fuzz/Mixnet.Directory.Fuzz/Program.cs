using Mixnet.Directory.Fuzz;
using SharpFuzz;

// Usage:
//   Mixnet.Directory.Fuzz TARGET               read inputs from afl (persistent mode); the process
//                                              must run under afl-fuzz, instrumented by sharpfuzz
//   Mixnet.Directory.Fuzz TARGET PATH...       run files (or every file of folders), print outcomes
//   Mixnet.Directory.Fuzz seed TARGET FOLDER   write the seed inputs of TARGET into FOLDER
if (args.Length == 3 && args[0] == "seed" && FuzzTargets.All.ContainsKey(args[1]))
{
    Directory.CreateDirectory(args[2]);
    foreach (var (name, bytes) in SeedCorpus.For(args[1]))
    {
        File.WriteAllBytes(Path.Combine(args[2], name), bytes);
    }

    return 0;
}

if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Mixnet.Directory.Fuzz {{{string.Join('|', FuzzTargets.All.Keys)}}} [PATH...] | seed TARGET FOLDER");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    });
    return 0;
}

foreach (var file in args.Skip(1).SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : [p]))
{
    Console.WriteLine($"{Path.GetFileName(file)}: {target(File.ReadAllBytes(file))}");
}

return 0;
