namespace Etrid.Exporter.Configuration;

/// <summary>The configuration failed the parts' start-up validation; <see cref="Problems"/> names each key (<c>chain.window: …</c>).</summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>A configuration with <paramref name="problems"/>.</summary>
    public InvalidConfigurationException(IReadOnlyList<string> problems)
        : base("invalid configuration: " + string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>An invalid configuration (for serializers and analyzers).</summary>
    public InvalidConfigurationException()
        : this([])
    {
    }

    /// <summary>An invalid configuration with a message.</summary>
    public InvalidConfigurationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>An invalid configuration with a message and its cause.</summary>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem, as <c>key.path: what is wrong</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
