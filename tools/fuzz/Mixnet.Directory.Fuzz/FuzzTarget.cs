namespace Mixnet.Directory.Fuzz;

/// <summary>One input in, one documented outcome out; an exception is a finding.</summary>
/// <param name="input">The input bytes.</param>
public delegate FuzzOutcome FuzzTarget(ReadOnlySpan<byte> input);
