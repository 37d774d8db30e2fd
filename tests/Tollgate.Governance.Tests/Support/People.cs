using Tollgate.Governance.Identity;

namespace Tollgate.Governance.Tests.Support;

/// <summary>The callers of the tests, one per role, plus a second trader and a shared login.</summary>
internal static class People
{
    public static readonly Principal Operator = Person("op-ana", Role.Operator);
    public static readonly Principal SecondOperator = Person("op-dan", Role.Operator);
    public static readonly Principal Trader = Person("trader-ben", Role.Trader);
    public static readonly Principal SecondTrader = Person("trader-cy", Role.Trader);
    public static readonly Principal Admin = Person("admin-eve", Role.Admin);
    public static readonly Principal Auditor = Person("auditor-fay", Role.Auditor);
    public static readonly Principal Pipeline = Person("ci-pipeline", Role.Pipeline);
    public static readonly Principal SharedOperator = new("desk-shared", "Desk login", new HashSet<Role> { Role.Operator }, IsShared: true);
    public static readonly Principal SharedTrader = new("desk-traders", "Traders' login", new HashSet<Role> { Role.Trader }, IsShared: true);

    public static Principal Person(string subject, params Role[] roles) => new(subject, null, new HashSet<Role>(roles), IsShared: false);
}
