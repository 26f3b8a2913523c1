namespace Etrid.Scaling.Selectors;

/// <summary>A label selector that does not parse or exceeds the bounds; the message says where and why.</summary>
public sealed class LabelSelectorException : FormatException
{
    public LabelSelectorException()
    {
    }

    public LabelSelectorException(string message)
        : base(message)
    {
    }

    public LabelSelectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
