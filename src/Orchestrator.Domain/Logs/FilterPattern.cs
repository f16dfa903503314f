using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Logs;

/// <summary>
/// The filter-pattern subset we match (case-sensitive, as AWS): terms that must all appear, quoted
/// phrases, -term exclusions, ?term alternatives (at least one must appear), and JSON property
/// filters such as { $.level = "ERROR" &amp;&amp; ($.latency &gt; 100 || $.user.id = 42) } with
/// = != &lt; &gt; &lt;= &gt;=, * wildcards in strings, IS TRUE/FALSE/NULL and NOT EXISTS. Space-delimited
/// patterns ([ip, user, ...]) are refused as unsupported rather than matched wrongly.
/// </summary>
public sealed class FilterPattern
{
    private readonly Func<string, bool> _matches;

    private FilterPattern(Func<string, bool> matches) => _matches = matches;

    public static readonly FilterPattern All = new(_ => true);

    public bool Matches(string message) => _matches(message);

    public static Result<FilterPattern> Parse(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
            return All;
        try
        {
            if (trimmed[0] == '{')
                return trimmed[^1] == '}' ? JsonPattern.Parse(trimmed[1..^1]) : throw Invalid("a JSON pattern must end with '}'");
            if (trimmed[0] == '[')
                throw Invalid("space-delimited patterns are not supported");
            return Terms(trimmed);
        }
        catch (FormatException e)
        {
            return LogsErrors.InvalidParameter($"Invalid filter pattern '{text}': {e.Message}");
        }
    }

    private static FormatException Invalid(string why) => new(why);

    private static FilterPattern Terms(string text)
    {
        List<string> required = [], excluded = [], optional = [];
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var bucket = required;
            if (text[i] is '?' or '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                bucket = text[i] == '?' ? optional : excluded;
                i++;
            }
            string term;
            if (text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                    throw Invalid("unterminated quoted phrase");
                term = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                    i++;
                term = text[start..i];
                if (term.Contains('"', StringComparison.Ordinal))
                    throw Invalid($"stray quote in '{term}'");
            }
            bucket.Add(term);
        }
        return new FilterPattern(message =>
            required.TrueForAll(t => message.Contains(t, StringComparison.Ordinal))
            && !excluded.Exists(t => message.Contains(t, StringComparison.Ordinal))
            && (optional.Count == 0 || optional.Exists(t => message.Contains(t, StringComparison.Ordinal))));
    }

    /// <summary>A recursive-descent parser of the JSON pattern's body into a predicate over the parsed message.</summary>
    private sealed class JsonPattern
    {
        private readonly List<string> _tokens;
        private int _next;

        private JsonPattern(List<string> tokens) => _tokens = tokens;

        public static FilterPattern Parse(string body)
        {
            var parser = new JsonPattern(Tokenize(body));
            var predicate = parser.Or();
            if (parser._next != parser._tokens.Count)
                throw Invalid($"unexpected '{parser._tokens[parser._next]}'");
            return new FilterPattern(message =>
            {
                JsonNode? root;
                try
                {
                    root = JsonNode.Parse(message);
                }
                catch (JsonException)
                {
                    return false;
                }
                return root is not null && predicate(root);
            });
        }

        private string? Peek => _next < _tokens.Count ? _tokens[_next] : null;

        private string Take() => _next < _tokens.Count ? _tokens[_next++] : throw Invalid("the expression ends too early");

        private Func<JsonNode, bool> Or()
        {
            var left = And();
            while (Peek == "||")
            {
                Take();
                var (a, b) = (left, And());
                left = node => a(node) || b(node);
            }
            return left;
        }

        private Func<JsonNode, bool> And()
        {
            var left = Unary();
            while (Peek == "&&")
            {
                Take();
                var (a, b) = (left, Unary());
                left = node => a(node) && b(node);
            }
            return left;
        }

        private Func<JsonNode, bool> Unary()
        {
            if (Peek == "(")
            {
                Take();
                var inner = Or();
                if (Take() != ")")
                    throw Invalid("missing ')'");
                return inner;
            }
            var selector = Take();
            if (!selector.StartsWith('$'))
                throw Invalid($"expected a selector such as $.field, got '{selector}'");
            var path = Path(selector);
            var op = Take();
            switch (op.ToUpperInvariant())
            {
                case "IS":
                    var literal = Take().ToUpperInvariant();
                    return literal switch
                    {
                        "TRUE" or "FALSE" => node => Resolve(node, path, out var v) && v?.GetValueKind() == (literal == "TRUE" ? JsonValueKind.True : JsonValueKind.False),
                        "NULL" => node => Resolve(node, path, out var v) && v is null,
                        _ => throw Invalid($"IS must be followed by TRUE, FALSE or NULL, got '{literal}'"),
                    };
                case "NOT":
                    return Take().Equals("EXISTS", StringComparison.OrdinalIgnoreCase) ? node => !Resolve(node, path, out _) : throw Invalid("NOT must be followed by EXISTS");
                case "=" or "!=" or "<" or ">" or "<=" or ">=":
                    return Comparison(path, op, Take());
                default:
                    throw Invalid($"unknown operator '{op}'");
            }
        }

        private static Func<JsonNode, bool> Comparison(List<object> path, string op, string operand)
        {
            if (operand is "(" or ")" or "&&" or "||")
                throw Invalid($"missing value after '{op}'");
            if (operand[0] != '"' && double.TryParse(operand, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return node => Resolve(node, path, out var v) && v is JsonValue value && value.GetValueKind() == JsonValueKind.Number
                    && Compare(value.GetValue<double>().CompareTo(number), op);
            }
            if (op is not ("=" or "!="))
                throw Invalid($"'{op}' compares numbers only");
            var expected = operand[0] == '"' ? operand[1..^1] : operand;
            return node =>
            {
                if (!Resolve(node, path, out var v) || v is not JsonValue value)
                    return false;
                var actual = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                return Glob(actual, expected) == (op == "=");
            };
        }

        private static bool Compare(int order, string op) => op switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            ">" => order > 0,
            "<=" => order <= 0,
            _ => order >= 0,
        };

        /// <summary>$.a.b[0].c as member names and indexes.</summary>
        private static List<object> Path(string selector)
        {
            var path = new List<object>();
            var i = 1;
            while (i < selector.Length)
            {
                if (selector[i] == '.')
                {
                    var start = ++i;
                    while (i < selector.Length && selector[i] is not ('.' or '['))
                        i++;
                    if (i == start)
                        throw Invalid($"empty member name in '{selector}'");
                    path.Add(selector[start..i]);
                }
                else if (selector[i] == '[')
                {
                    var close = selector.IndexOf(']', i);
                    if (close < 0 || !int.TryParse(selector.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                        throw Invalid($"bad index in '{selector}'");
                    path.Add(index);
                    i = close + 1;
                }
                else
                    throw Invalid($"bad selector '{selector}'");
            }
            return path;
        }

        /// <summary>False when the path leads nowhere; a present JSON null resolves to null.</summary>
        private static bool Resolve(JsonNode root, List<object> path, out JsonNode? value)
        {
            JsonNode? current = root;
            foreach (var step in path)
            {
                switch (step, current)
                {
                    case (string name, JsonObject obj) when obj.TryGetPropertyValue(name, out var child):
                        current = child;
                        break;
                    case (int index, JsonArray array) when index < array.Count:
                        current = array[index];
                        break;
                    default:
                        value = null;
                        return false;
                }
            }
            value = current;
            return true;
        }

        /// <summary>Whole-value match where * stands for any run of characters.</summary>
        private static bool Glob(string actual, string pattern)
        {
            var parts = pattern.Split('*');
            if (parts.Length == 1)
                return actual == pattern;
            if (!actual.StartsWith(parts[0], StringComparison.Ordinal) || !actual.EndsWith(parts[^1], StringComparison.Ordinal)
                || actual.Length < parts[0].Length + parts[^1].Length)
                return false;
            var at = parts[0].Length;
            var end = actual.Length - parts[^1].Length;
            for (var i = 1; i < parts.Length - 1; i++)
            {
                var found = actual.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
                if (found < 0)
                    return false;
                at = found + parts[i].Length;
            }
            return true;
        }

        private static List<string> Tokenize(string body)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < body.Length)
            {
                var c = body[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (i + 1 < body.Length && body.Substring(i, 2) is "&&" or "||" or "!=" or "<=" or ">=")
                {
                    tokens.Add(body.Substring(i, 2));
                    i += 2;
                }
                else if (c is '=' or '<' or '>')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c == '"')
                {
                    var close = body.IndexOf('"', i + 1);
                    if (close < 0)
                        throw Invalid("unterminated string");
                    tokens.Add(body[i..(close + 1)]);
                    i = close + 1;
                }
                else
                {
                    var start = i;
                    while (i < body.Length && !char.IsWhiteSpace(body[i]) && body[i] is not ('(' or ')' or '=' or '<' or '>' or '!' or '&' or '|' or '"'))
                        i++;
                    if (i == start)
                        throw Invalid($"unexpected '{c}'");
                    tokens.Add(body[start..i]);
                }
            }
            return tokens;
        }
    }
}
