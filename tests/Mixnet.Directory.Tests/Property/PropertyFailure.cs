namespace Mixnet.Directory.Tests.Property;

/// <summary>
/// Thrown inside a CsCheck sample, which shrinks and reports it with its seed. NUnit's Assert is
/// not used there: CsCheck runs samples on its own threads, outside the test's context.
/// </summary>
internal sealed class PropertyFailure(string message) : Exception(message)
{
    public static void Unless(bool condition, string message)
    {
        if (!condition)
        {
            throw new PropertyFailure(message);
        }
    }
}
