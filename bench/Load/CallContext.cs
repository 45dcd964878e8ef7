namespace Mixnet.Directory.Bench.Load;

/// <summary>Which worker makes a call (and so which connection it uses) and the call's global sequence number.</summary>
internal readonly record struct CallContext(int Worker, long Sequence);

/// <summary>One call of a load; returns false when there is no more work (a pre-generated pool ran out).</summary>
internal delegate ValueTask<bool> LoadCall(CallContext call, CancellationToken cancellationToken);
