using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Etrid.AiCompute.Tests.Follower;

/// <summary>Keeps every log line with its level, so tests can see what a hostile node made the exporter write.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Text)> Lines => [.. _lines];

    /// <summary>Characters written so far, the size the log would have grown by.</summary>
    public long Characters => _lines.Sum(l => (long)l.Text.Length);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, eventId, formatter(state, exception)));
}
