namespace Mixnet.Directory.Tests.History.Model;

/// <summary>The registry and the model disagreed; the message names the step and both states.</summary>
public sealed class ModelMismatchException : Exception
{
    public ModelMismatchException()
    {
    }

    public ModelMismatchException(string message)
        : base(message)
    {
    }

    public ModelMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
