using Microsoft.Extensions.Logging;
using Tollgate.Governance.Secrets;

namespace Tollgate.Host.Security;

/// <summary>
/// Every logger of the host, through the redactor: the formatted message and the exception text lose every secret
/// value before any provider (console, Application Insights, a test's capture) sees them. Structured state is
/// replaced by the redacted message, so no provider can print a secret from a raw argument either.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(redactor.Redact(state.ToString() ?? ""));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = redactor.Redact(formatter(state, exception));
            var redactedException = exception is null ? null : RedactedException.Of(exception, redactor);
            inner.Log(logLevel, eventId, message, redactedException, static (text, _) => text);
        }
    }

    /// <summary>An exception's whole text (type, message, stack, inner exceptions) with secrets removed.</summary>
    private sealed class RedactedException(string text) : Exception(text)
    {
        public static Exception Of(Exception original, SecretRedactor redactor)
        {
            var text = original.ToString();
            var redacted = redactor.Redact(text);
            return ReferenceEquals(text, redacted) || text == redacted ? original : new RedactedException(redacted);
        }

        public override string ToString() => Message;
    }
}
