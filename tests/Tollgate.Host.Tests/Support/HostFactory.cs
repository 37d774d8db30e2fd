using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Governance.Identity;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Tests.Support;

/// <summary>
/// The real host in process (WebApplicationFactory over Program), on the in-memory backend unless
/// told otherwise. Settings go in as configuration, exactly as environment variables would.
/// Every log entry is captured in <see cref="Logs"/>.
/// </summary>
public sealed class HostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<IFunctionModule> _modules = new();

    public HostFactory()
    {
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = "in-memory",
            // The ledger's dev signing key is created here, not in the source tree.
            ["TOLLGATE_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "tollgate-host-tests", Guid.NewGuid().ToString("N")),
            ["Tollgate:Auth:LocalSigningKey"] = Tokens.KeyBase64,
        };
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Issues tokens the host accepts (signed with its local key).</summary>
    public TestTokens Tokens { get; } = new();

    /// <summary>Who <see cref="Http()"/> calls as: an operator who may also administer and act as CI (not a Trader, not an Auditor).</summary>
    public const string DefaultSubject = "tester";

    public HostFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    private readonly List<Action<Tollgate.Durable.DurableTaskRegistry>> _orchestrations = new();

    /// <summary>Adds orchestrators and activities beside the host's own (test workflows).</summary>
    public HostFactory WithOrchestrations(Action<Tollgate.Durable.DurableTaskRegistry> register)
    {
        _orchestrations.Add(register);
        return this;
    }

    /// <summary>Adds functions to the registry, as a feature would.</summary>
    public HostFactory WithFunctions(params IFunctionModule[] modules)
    {
        _modules.AddRange(modules);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            foreach (var module in _modules) services.AddSingleton<IFunctionModule>(module);
            if (_orchestrations.Count > 0)
                services.AddSingleton(_ =>
                {
                    var registry = Tollgate.Workflows.Workflows.AddTollgateWorkflows(new Tollgate.Durable.DurableTaskRegistry());
                    foreach (var register in _orchestrations) register(registry);
                    return registry;
                });
        });
    }

    /// <summary>A client for the in-process server (starts it), calling as <see cref="DefaultSubject"/> (Operator, Admin, Pipeline).</summary>
    public HttpClient Http() => Http(Tokens.For(DefaultSubject, Role.Operator, Role.Admin, Role.Pipeline));

    /// <summary>A client calling with <paramref name="token"/> (null: no Authorization header).</summary>
    public HttpClient Http(string? token)
    {
        var client = Anonymous();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client calling as <paramref name="subject"/> with <paramref name="roles"/>.</summary>
    public HttpClient As(string subject, params Role[] roles) => Http(Tokens.For(subject, roles));

    /// <summary>A client with no token.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}

/// <summary>Every log entry of a host, with its exception, as text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public string All => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines) owner._lines.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
