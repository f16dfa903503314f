using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>
/// A composite alarm's AlarmRule, parsed: ALARM(x), OK(x), INSUFFICIENT_DATA(x) on another alarm
/// (by name or ARN, quoted or not), TRUE and FALSE, combined with NOT, AND, OR and parentheses.
/// NOT binds tightest, then AND, then OR, as in the boolean logic the rule reads as.
/// </summary>
public abstract record AlarmRule
{
    public const int MaxLength = 10_240;
    public const int MaxChildren = 100;

    public sealed record StateIs(string State, string Alarm) : AlarmRule;

    public sealed record Literal(bool Value) : AlarmRule;

    public sealed record Not(AlarmRule Operand) : AlarmRule;

    public sealed record And(AlarmRule Left, AlarmRule Right) : AlarmRule;

    public sealed record Or(AlarmRule Left, AlarmRule Right) : AlarmRule;

    /// <summary>True when the rule holds, given each referenced alarm's state (an alarm with no known state satisfies no function).</summary>
    public bool Holds(Func<string, string?> stateOf) => this switch
    {
        StateIs s => stateOf(s.Alarm) == s.State,
        Literal l => l.Value,
        Not n => !n.Operand.Holds(stateOf),
        And a => a.Left.Holds(stateOf) && a.Right.Holds(stateOf),
        Or o => o.Left.Holds(stateOf) || o.Right.Holds(stateOf),
        _ => throw new InvalidOperationException($"unknown rule node {GetType().Name}"),
    };

    /// <summary>The names of the alarms the rule references (ARNs reduced to the name they end with), each once, in order of appearance.</summary>
    public ImmutableArray<string> Children() => [.. Walk(this).Distinct(StringComparer.Ordinal)];

    private static IEnumerable<string> Walk(AlarmRule rule) => rule switch
    {
        StateIs s => [s.Alarm],
        Not n => Walk(n.Operand),
        And a => Walk(a.Left).Concat(Walk(a.Right)),
        Or o => Walk(o.Left).Concat(Walk(o.Right)),
        _ => [],
    };

    /// <summary>An alarm's name from what a rule names it by: an alarm ARN ends with ":alarm:name".</summary>
    public static string NameOf(string reference)
    {
        const string marker = ":alarm:";
        var at = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference.IndexOf(marker, StringComparison.Ordinal) : -1;
        return at < 0 ? reference : reference[(at + marker.Length)..];
    }

    public static Result<AlarmRule> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return AwsError.MissingParameter("The parameter AlarmRule is required.");
        if (text.Length > MaxLength)
            return Invalid($"AlarmRule must be at most {MaxLength} characters.");
        try
        {
            var rule = new Parser(text).Parse();
            return rule.Children().Length > MaxChildren ? Invalid($"AlarmRule can reference at most {MaxChildren} alarms.") : rule;
        }
        catch (RuleException e)
        {
            return Invalid($"Error in AlarmRule: {e.Message}");
        }
    }

    private static AwsError Invalid(string message) => new("ValidationError", message);

    private sealed class RuleException(string message) : Exception(message);

    private sealed class Parser(string text)
    {
        private static readonly Dictionary<string, string> Functions = new(StringComparer.Ordinal)
        {
            ["ALARM"] = AlarmStates.Alarm,
            ["OK"] = AlarmStates.Ok,
            ["INSUFFICIENT_DATA"] = AlarmStates.InsufficientData,
        };

        private int _at;

        public AlarmRule Parse()
        {
            var rule = Disjunction();
            Skip();
            return _at < text.Length ? throw Unexpected() : rule;
        }

        private AlarmRule Disjunction()
        {
            var left = Conjunction();
            while (AcceptWord("OR"))
                left = new Or(left, Conjunction());
            return left;
        }

        private AlarmRule Conjunction()
        {
            var left = Negation();
            while (AcceptWord("AND"))
                left = new And(left, Negation());
            return left;
        }

        private AlarmRule Negation() => AcceptWord("NOT") ? new Not(Negation()) : Primary();

        private AlarmRule Primary()
        {
            Skip();
            if (_at >= text.Length)
                throw new RuleException("unexpected end of the rule");
            if (Accept('('))
            {
                var inner = Disjunction();
                Expect(')');
                return inner;
            }
            var start = _at;
            var word = Word();
            if (word == "TRUE" || word == "FALSE")
                return new Literal(word == "TRUE");
            if (!Functions.TryGetValue(word, out var state))
            {
                _at = start;
                throw new RuleException(word.Length == 0
                    ? $"unexpected '{text[_at]}' at position {_at + 1}"
                    : $"unknown function or keyword '{word}' at position {start + 1} (expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or a parenthesis)");
            }
            Expect('(');
            var alarm = AlarmReference();
            Expect(')');
            return new StateIs(state, NameOf(alarm));
        }

        /// <summary>A quoted name runs to the closing quote; an unquoted one to the closing parenthesis (trimmed).</summary>
        private string AlarmReference()
        {
            Skip();
            if (Accept('"'))
            {
                var close = text.IndexOf('"', _at);
                if (close < 0)
                    throw new RuleException($"unterminated quoted alarm name at position {_at}");
                var quoted = text[_at..close];
                _at = close + 1;
                return quoted.Length > 0 ? quoted : throw new RuleException($"empty alarm name at position {close}");
            }
            var end = text.IndexOf(')', _at);
            if (end < 0)
                throw new RuleException("expected ')' at the end of the rule");
            var name = text[_at..end].Trim();
            if (name.Length == 0)
                throw new RuleException($"expected an alarm name at position {_at + 1}");
            _at = end;
            return name;
        }

        private string Word()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterUpper(text[_at]) || char.IsAsciiLetterLower(text[_at]) || text[_at] == '_'))
                _at++;
            return text[start.._at];
        }

        private bool AcceptWord(string word)
        {
            Skip();
            var end = _at + word.Length;
            if (end > text.Length || string.CompareOrdinal(text, _at, word, 0, word.Length) != 0
                || (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')))
                return false;
            _at = end;
            return true;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                _at++;
        }

        private bool Accept(char c)
        {
            Skip();
            if (_at >= text.Length || text[_at] != c)
                return false;
            _at++;
            return true;
        }

        private void Expect(char c)
        {
            if (!Accept(c))
                throw _at < text.Length ? new RuleException($"expected '{c}' at position {_at + 1}") : new RuleException($"expected '{c}' at the end of the rule");
        }

        private RuleException Unexpected() => new($"unexpected '{text[_at]}' at position {_at + 1}");
    }
}
