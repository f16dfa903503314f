using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestrator.Terraform.Tests;

/// <summary>The position of a fact in its stack's life (apply, plan, destroy).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

/// <summary>
/// Runs the facts of a class in their [Step] order. The fixture enforces the same order by
/// itself (each step awaits the one before), so a fact run alone still sees a stack in the right
/// state; this makes the test output read in order.
/// </summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "Orchestrator.Terraform.Tests.StepOrderer";
    public const string AssemblyName = "Orchestrator.Terraform.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method
            .GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName)
            .Select(a => (int)a.GetConstructorArguments().First())
            .DefaultIfEmpty(int.MaxValue).First());
}
