using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Etrid.Exporter.Tests.Support;

/// <summary>Keeps every log line, so tests can check what an operator would read.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    public static ILoggerFactory Factory(out CollectingLoggerProvider provider)
    {
        var p = new CollectingLoggerProvider();
        provider = p;
        return LoggerFactory.Create(b => b.AddProvider(p).SetMinimumLevel(LogLevel.Debug));
    }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
    }
}
