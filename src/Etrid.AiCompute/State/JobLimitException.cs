namespace Etrid.AiCompute.State;

/// <summary>The chain holds more jobs than the exporter is configured to keep (<c>chain.max_jobs</c>).</summary>
public sealed class JobLimitException : Exception
{
    public JobLimitException(string message)
        : base(message)
    {
    }
}
