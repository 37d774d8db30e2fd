namespace Tollgate.Host.Functions;

/// <summary>A group of functions that adds itself to the registry. Register implementations as singletons; the registry is built from all of them.</summary>
public interface IFunctionModule
{
    void Register(FunctionRegistry registry);
}
