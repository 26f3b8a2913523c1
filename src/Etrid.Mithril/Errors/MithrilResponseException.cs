namespace Etrid.Mithril.Errors;

/// <summary>A success status with a body this client refuses: too large, not JSON of the expected shape, or a paging loop.</summary>
public class MithrilResponseException : MithrilException
{
    public MithrilResponseException()
    {
    }

    public MithrilResponseException(string message)
        : base(message)
    {
    }

    public MithrilResponseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
