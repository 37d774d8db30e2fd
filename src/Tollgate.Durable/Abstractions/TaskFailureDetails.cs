namespace Tollgate.Durable;

/// <summary>
/// A failure carried across the durable boundary as data: it is recorded in the history and
/// replayed, so it holds the exception's type name and message, never the exception object.
/// </summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    public static TaskFailureDetails FromException(Exception exception) => new(
        exception.GetType().FullName ?? exception.GetType().Name,
        exception.Message,
        exception.StackTrace,
        exception.InnerException is { } inner ? FromException(inner) : null);

    /// <summary>True when the failure was caused by an exception of type <typeparamref name="T"/> or a subtype.</summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        for (var type = Type.GetType(ErrorType) ?? FindLoadedType(ErrorType); type is not null; type = type.BaseType)
            if (type == typeof(T)) return true;
        return ErrorType == typeof(T).FullName;
    }

    private static Type? FindLoadedType(string fullName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            if (assembly.GetType(fullName, throwOnError: false) is { } type) return type;
        return null;
    }

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
