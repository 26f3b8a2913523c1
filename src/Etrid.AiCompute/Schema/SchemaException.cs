namespace Etrid.AiCompute.Schema;

/// <summary>The chain's metadata lacks, or retypes, something the exporter needs; the message names it.</summary>
public sealed class SchemaException : Exception
{
    public SchemaException()
    {
    }

    public SchemaException(string message) : base(message)
    {
    }

    public SchemaException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
