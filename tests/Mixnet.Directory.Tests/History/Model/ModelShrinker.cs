namespace Mixnet.Directory.Tests.History.Model;

/// <summary>
/// Greedy shrinking of a failing sequence: drop single steps, then zero arguments, while it still
/// fails. CsCheck shrinks only by finding smaller failures in later samples, which a bounded run
/// may not reach; this makes the reported counterexample minimal in every run.
/// </summary>
internal static class ModelShrinker
{
    public static void ExecuteShrinkingFailures(ModelOp[] ops)
    {
        try
        {
            ModelRun.Execute(ops);
        }
        catch (ModelMismatchException)
        {
            var smallest = Minimize(ops);
            try
            {
                ModelRun.Execute(smallest);
            }
            catch (ModelMismatchException ex)
            {
                throw new ModelMismatchException($"shrunk from {ops.Length} to {smallest.Length} steps: {ex.Message}", ex);
            }

            throw;
        }
    }

    public static ModelOp[] Minimize(ModelOp[] ops)
    {
        var current = ops;
        var progress = true;
        while (progress)
        {
            progress = false;
            for (var i = 0; i < current.Length; i++)
            {
                ModelOp[] without = [.. current[..i], .. current[(i + 1)..]];
                if (Fails(without))
                {
                    current = without;
                    progress = true;
                    i--;
                }
                else if (current[i].Arg != 0)
                {
                    var simpler = (ModelOp[])current.Clone();
                    simpler[i] = simpler[i] with { Arg = 0 };
                    if (Fails(simpler))
                    {
                        current = simpler;
                        progress = true;
                    }
                }
            }
        }

        return current;
    }

    private static bool Fails(ModelOp[] ops)
    {
        try
        {
            ModelRun.Execute(ops);
            return false;
        }
        catch (ModelMismatchException)
        {
            return true;
        }
    }
}
