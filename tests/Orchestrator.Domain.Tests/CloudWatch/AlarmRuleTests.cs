using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

public sealed class AlarmRuleTests
{
    private static readonly Dictionary<string, string> States = new(StringComparer.Ordinal)
    {
        ["cpu"] = AlarmStates.Alarm,
        ["disk"] = AlarmStates.Ok,
        ["deploy"] = AlarmStates.InsufficientData,
        ["my alarm"] = AlarmStates.Alarm,
    };

    private static bool Holds(string rule)
    {
        var parsed = AlarmRule.Parse(rule);
        Assert.False(parsed.IsError, parsed.Error?.Message);
        return parsed.Value.Holds(name => States.TryGetValue(name, out var state) ? state : null);
    }

    [Theory]
    [InlineData("ALARM(cpu)", true)]
    [InlineData("ALARM(\"cpu\")", true)]
    [InlineData("OK(cpu)", false)]
    [InlineData("OK(disk)", true)]
    [InlineData("INSUFFICIENT_DATA(deploy)", true)]
    [InlineData("TRUE", true)]
    [InlineData("FALSE", false)]
    [InlineData("NOT ALARM(disk)", true)]
    [InlineData("ALARM(cpu) AND ALARM(disk)", false)]
    [InlineData("ALARM(cpu) OR ALARM(disk)", true)]
    [InlineData("ALARM(cpu) AND NOT ALARM(disk)", true)]
    [InlineData("(ALARM(cpu) OR ALARM(disk)) AND OK(disk)", true)]
    [InlineData("ALARM(disk) AND ALARM(cpu) OR TRUE", true)]
    [InlineData("ALARM(disk) AND (ALARM(cpu) OR TRUE)", false)]
    [InlineData("NOT (ALARM(cpu) AND OK(disk))", false)]
    [InlineData("NOT NOT ALARM(cpu)", true)]
    [InlineData("ALARM( \"my alarm\" )", true)]
    [InlineData("ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu)", true)]
    [InlineData("ALARM(\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk\")", false)]
    [InlineData("ALARM(unknown)", false)]
    [InlineData("OK(unknown) OR INSUFFICIENT_DATA(unknown)", false)]
    public void Rules_evaluate_with_boolean_precedence(string rule, bool expected) => Assert.Equal(expected, Holds(rule));

    [Theory]
    [InlineData("ALARM(cpu", "expected ')'")]
    [InlineData("ALARM(cpu) AND", "unexpected end of the rule")]
    [InlineData("ALARM()", "expected an alarm name")]
    [InlineData("ALARM(\"cpu)", "unterminated quoted alarm name")]
    [InlineData("ALARMS(cpu)", "unknown function or keyword 'ALARMS'")]
    [InlineData("alarm(cpu)", "unknown function or keyword 'alarm'")]
    [InlineData("ALARM(cpu) ALARM(disk)", "unexpected 'A' at position 12")]
    [InlineData("(ALARM(cpu)", "expected ')' at the end of the rule")]
    [InlineData("ALARM(cpu) XOR ALARM(disk)", "unexpected 'X'")]
    public void Malformed_rules_are_a_validation_error_saying_where(string rule, string message)
    {
        var parsed = AlarmRule.Parse(rule);
        Assert.Equal("ValidationError", parsed.Error?.Code);
        Assert.Contains(message, parsed.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_rule_is_missing_and_a_long_one_is_refused()
    {
        Assert.Equal("MissingParameter", AlarmRule.Parse(" ").Error?.Code);
        Assert.Equal("ValidationError", AlarmRule.Parse(string.Join(" OR ", Enumerable.Repeat("TRUE", 3000))).Error?.Code);
        Assert.Equal("ValidationError", AlarmRule.Parse(string.Join(" OR ", Enumerable.Range(0, 101).Select(i => $"ALARM(a{i})"))).Error?.Code);
    }

    [Fact]
    public void Children_are_the_referenced_names_once_each_arns_reduced_to_names()
    {
        var rule = AlarmRule.Parse("ALARM(cpu) OR (OK(\"disk\") AND NOT ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu)) OR TRUE").Value;
        Assert.Equal(["cpu", "disk"], rule.Children().AsEnumerable());
    }
}
