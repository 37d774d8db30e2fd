using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Tollgate.Durable.Tests.Support;

/// <summary>Collects formatted log lines (for replay-safe logger tests).</summary>
public sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Lines.Enqueue(formatter(state, exception));
}

/// <summary>Sends the engine's warnings and errors to the test output, so a failing test shows what the worker saw.</summary>
public sealed class TestOutputLoggerFactory(ITestOutputHelper? output, LogLevel minimum = LogLevel.Warning) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, minimum);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class OutputLogger(ITestOutputHelper? output, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => output is not null && logLevel >= minimum;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try { output!.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}] {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}"); }
            catch (InvalidOperationException) { /* the test has finished */ }
        }
    }
}
