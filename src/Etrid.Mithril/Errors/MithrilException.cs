namespace Etrid.Mithril.Errors;

/// <summary>Base of every failure of a Mithril call. Messages name the method and path, never a credential.</summary>
public class MithrilException : Exception
{
    public MithrilException()
    {
    }

    public MithrilException(string message)
        : base(message)
    {
    }

    public MithrilException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
