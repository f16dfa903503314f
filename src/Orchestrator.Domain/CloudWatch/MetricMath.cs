using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>A time series of values by period start.</summary>
public sealed class TimeSeries(SortedDictionary<DateTimeOffset, double> points)
{
    public SortedDictionary<DateTimeOffset, double> Points { get; } = points;

    public static TimeSeries Of(IEnumerable<KeyValuePair<DateTimeOffset, double>> points) => new(new SortedDictionary<DateTimeOffset, double>(points.ToDictionary()));
}

/// <summary>
/// Basic metric math of GetMetricData: numbers and query ids, + - * / (between series on their
/// common timestamps, or with a scalar), parentheses, arrays [a, b], METRICS(), SUM/AVG/MIN/MAX
/// (of one series: a scalar; of an array: a series per timestamp), FILL(s, value|REPEAT|LINEAR)
/// over the query's period grid. A result that is not finite (a division by zero) is dropped.
/// </summary>
public static class MetricMath
{
    private abstract record Value;

    private sealed record Scalar(double Number) : Value;

    private sealed record Series(TimeSeries Data) : Value;

    private sealed record SeriesArray(ImmutableArray<TimeSeries> Items) : Value;

    /// <summary>Evaluates an expression: <paramref name="grid"/> is every period start of the request (FILL and scalars need it).</summary>
    public static Result<TimeSeries> Evaluate(string expression, IReadOnlyDictionary<string, TimeSeries> inputs, IReadOnlyList<string> metricIds,
        IReadOnlyList<DateTimeOffset> grid)
    {
        try
        {
            var parser = new Parser(expression, inputs, metricIds, grid);
            var value = parser.Parse();
            return value switch
            {
                Series s => s.Data,
                Scalar c => TimeSeries.Of(grid.Select(t => KeyValuePair.Create(t, c.Number))),
                _ => Fail("the expression must produce a single time series, not an array"),
            };
        }
        catch (MathException e)
        {
            return new AwsError("ValidationError", $"Error in expression: {e.Message}");
        }
    }

    private static AwsError Fail(string message) => new("ValidationError", $"Error in expression: {message}");

    private sealed class MathException(string message) : Exception(message);

    private sealed class Parser(string text, IReadOnlyDictionary<string, TimeSeries> inputs, IReadOnlyList<string> metricIds, IReadOnlyList<DateTimeOffset> grid)
    {
        private int _at;

        public Value Parse()
        {
            var value = Sum();
            Skip();
            if (_at < text.Length)
                throw new MathException($"unexpected '{text[_at]}' at position {_at + 1}");
            return value;
        }

        private Value Sum()
        {
            var left = Product();
            while (Accept('+') || Accept('-'))
            {
                var op = text[_at - 1];
                left = Apply(left, Product(), op);
            }
            return left;
        }

        private Value Product()
        {
            var left = Unary();
            while (Accept('*') || Accept('/'))
            {
                var op = text[_at - 1];
                left = Apply(left, Unary(), op);
            }
            return left;
        }

        private Value Unary() => Accept('-') ? Apply(new Scalar(0), Unary(), '-') : Primary();

        private Value Primary()
        {
            Skip();
            if (_at >= text.Length)
                throw new MathException("unexpected end of expression");
            if (Accept('('))
            {
                var inner = Sum();
                Expect(')');
                return inner;
            }
            if (Accept('['))
            {
                var items = new List<TimeSeries>();
                do
                {
                    items.AddRange(Sum() switch
                    {
                        SeriesArray a => a.Items,
                        Series s => [s.Data],
                        _ => throw new MathException("an array holds time series only"),
                    });
                }
                while (Accept(','));
                Expect(']');
                return new SeriesArray([.. items]);
            }
            if (char.IsDigit(text[_at]) || text[_at] == '.')
            {
                var start = _at;
                while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] is '.' or 'e' or 'E'))
                    _at++;
                return double.TryParse(text[start.._at], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    ? new Scalar(n)
                    : throw new MathException($"'{text[start.._at]}' is not a number");
            }
            var name = Identifier();
            if (!Accept('('))
                return inputs.TryGetValue(name, out var series) ? new Series(series) : throw new MathException($"unknown metric id '{name}'");
            var function = name.ToUpperInvariant();
            if (function == "METRICS")
            {
                Expect(')');
                return new SeriesArray([.. metricIds.Select(id => inputs[id])]);
            }
            var argument = Sum();
            if (function == "FILL")
            {
                Expect(',');
                Skip();
                Value fill = char.IsLetter(text[_at]) ? new Scalar(Identifier().ToUpperInvariant() switch
                {
                    "REPEAT" => double.NegativeInfinity,
                    "LINEAR" => double.PositiveInfinity,
                    var other => throw new MathException($"FILL takes a number, REPEAT or LINEAR, not '{other}'"),
                }) : Sum();
                Expect(')');
                if (fill is not Scalar { Number: var how })
                    throw new MathException("FILL takes a scalar fill value");
                return argument switch
                {
                    Series s => new Series(Fill(s.Data, how)),
                    SeriesArray a => new SeriesArray([.. a.Items.Select(i => Fill(i, how))]),
                    _ => throw new MathException("FILL applies to a time series"),
                };
            }
            Expect(')');
            Func<IEnumerable<double>, double> reduce = function switch
            {
                "SUM" => v => v.Sum(),
                "AVG" => v => v.Average(),
                "MIN" => v => v.Min(),
                "MAX" => v => v.Max(),
                _ => throw new MathException($"unknown function '{name}'"),
            };
            return argument switch
            {
                Series s => s.Data.Points.Count == 0 ? throw new MathException($"{function} of an empty time series") : new Scalar(reduce(s.Data.Points.Values)),
                SeriesArray a => new Series(TimeSeries.Of(a.Items.SelectMany(i => i.Points).GroupBy(p => p.Key).Select(g => KeyValuePair.Create(g.Key, reduce(g.Select(p => p.Value)))))),
                _ => throw new MathException($"{function} applies to a time series or an array of them"),
            };
        }

        /// <summary>REPEAT (encoded as -inf) carries the last value forward (the first one backward); LINEAR (+inf) interpolates, holding the ends.</summary>
        private TimeSeries Fill(TimeSeries series, double how)
        {
            var known = series.Points;
            var filled = new SortedDictionary<DateTimeOffset, double>(known);
            if (known.Count == 0 && double.IsInfinity(how))
                return series;
            foreach (var t in grid.Where(t => !known.ContainsKey(t)))
            {
                if (!double.IsInfinity(how))
                {
                    filled[t] = how;
                    continue;
                }
                var before = known.LastOrDefault(p => p.Key < t);
                var after = known.FirstOrDefault(p => p.Key > t);
                var hasBefore = before.Key != default;
                var hasAfter = after.Key != default;
                filled[t] = (hasBefore, hasAfter, double.IsNegativeInfinity(how)) switch
                {
                    (true, _, true) => before.Value,
                    (false, _, true) => after.Value,
                    (true, true, false) => before.Value + (after.Value - before.Value) * (t - before.Key).TotalSeconds / (after.Key - before.Key).TotalSeconds,
                    (true, false, false) => before.Value,
                    _ => after.Value,
                };
            }
            return new TimeSeries(filled);
        }

        private static Value Apply(Value left, Value right, char op)
        {
            double Op(double a, double b) => op switch { '+' => a + b, '-' => a - b, '*' => a * b, _ => a / b };
            static TimeSeries Finite(IEnumerable<KeyValuePair<DateTimeOffset, double>> points) => TimeSeries.Of(points.Where(p => double.IsFinite(p.Value)));
            return (left, right) switch
            {
                (Scalar a, Scalar b) => new Scalar(Op(a.Number, b.Number)),
                (Series a, Scalar b) => new Series(Finite(a.Data.Points.Select(p => KeyValuePair.Create(p.Key, Op(p.Value, b.Number))))),
                (Scalar a, Series b) => new Series(Finite(b.Data.Points.Select(p => KeyValuePair.Create(p.Key, Op(a.Number, p.Value))))),
                (Series a, Series b) => new Series(Finite(a.Data.Points.Where(p => b.Data.Points.ContainsKey(p.Key))
                    .Select(p => KeyValuePair.Create(p.Key, Op(p.Value, b.Data.Points[p.Key]))))),
                (SeriesArray a, _) => new SeriesArray([.. a.Items.Select(i => ((Series)Apply(new Series(i), right, op)).Data)]),
                (_, SeriesArray b) => new SeriesArray([.. b.Items.Select(i => ((Series)Apply(left, new Series(i), op)).Data)]),
                _ => throw new MathException("unsupported operands"),
            };
        }

        private string Identifier()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
                _at++;
            return _at > start ? text[start.._at] : throw new MathException($"unexpected '{text[_at]}' at position {_at + 1}");
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                _at++;
        }

        private bool Peek(char c)
        {
            Skip();
            return _at < text.Length && text[_at] == c;
        }

        private bool Accept(char c)
        {
            if (!Peek(c))
                return false;
            _at++;
            return true;
        }

        private void Expect(char c)
        {
            if (!Accept(c))
                throw new MathException(_at < text.Length ? $"expected '{c}' at position {_at + 1}" : $"expected '{c}' at the end");
        }
    }
}
