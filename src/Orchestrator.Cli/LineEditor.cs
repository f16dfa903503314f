using System.Text;

namespace Orchestrator.Cli;

/// <summary>Where the prompt's lines come from; null at the end of input.</summary>
public interface ILineSource
{
    string? ReadLine();
}

/// <summary>Keys as Console.ReadKey gives them; tests script them.</summary>
public interface IKeySource
{
    ConsoleKeyInfo ReadKey();
}

public sealed class ConsoleKeySource : IKeySource
{
    /// <summary>Ctrl+C clears the line while editing (as shells do); outside ReadKey it still interrupts a command.</summary>
    public ConsoleKeyInfo ReadKey()
    {
        Console.TreatControlCAsInput = true;
        try
        {
            return Console.ReadKey(intercept: true);
        }
        finally
        {
            Console.TreatControlCAsInput = false;
        }
    }
}

/// <summary>Piped input: one command a line, no editing.</summary>
public sealed class ReaderLineSource(TextReader reader) : ILineSource
{
    public string? ReadLine() => reader.ReadLine();
}

/// <summary>Up and down walk earlier lines; the line being typed is kept as a draft to come back to.</summary>
public sealed class LineHistory
{
    private readonly List<string> _entries = [];
    private int _position;
    private string _draft = "";

    public IReadOnlyList<string> Entries => _entries;

    public void Add(string line)
    {
        if (!string.IsNullOrWhiteSpace(line) && (_entries.Count == 0 || _entries[^1] != line))
            _entries.Add(line);
        _position = _entries.Count;
    }

    public string? Previous(string current)
    {
        if (_position == 0)
            return null;
        if (_position == _entries.Count)
            _draft = current;
        return _entries[--_position];
    }

    public string? Next()
    {
        if (_position >= _entries.Count)
            return null;
        _position++;
        return _position == _entries.Count ? _draft : _entries[_position];
    }
}

/// <summary>
/// A small line editor over single keys (no readline package is served): insert and delete at the
/// cursor, Home/End/arrows, history on Up/Down, Tab to complete, Ctrl+C to drop the line, Ctrl+D or
/// Ctrl+Z on an empty line to leave. The line is redrawn with ANSI sequences after each key.
/// </summary>
public sealed class LineEditor(IKeySource keys, TextWriter output, string prompt, Completer completer) : ILineSource
{
    private readonly StringBuilder _buffer = new();
    private int _cursor;

    public LineHistory History { get; } = new();

    public string? ReadLine()
    {
        _buffer.Clear();
        _cursor = 0;
        output.Write(prompt);
        while (true)
        {
            var key = keys.ReadKey();
            var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    output.WriteLine();
                    var line = _buffer.ToString();
                    History.Add(line);
                    return line;
                case ConsoleKey.D or ConsoleKey.Z when control && _buffer.Length == 0:
                    output.WriteLine();
                    return null;
                case ConsoleKey.C when control:
                    output.WriteLine("^C");
                    _buffer.Clear();
                    _cursor = 0;
                    break;
                case ConsoleKey.Backspace when _cursor > 0:
                    _buffer.Remove(--_cursor, 1);
                    break;
                case ConsoleKey.Delete when _cursor < _buffer.Length:
                    _buffer.Remove(_cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when _cursor > 0:
                    _cursor--;
                    break;
                case ConsoleKey.RightArrow when _cursor < _buffer.Length:
                    _cursor++;
                    break;
                case ConsoleKey.Home:
                case ConsoleKey.A when control:
                    _cursor = 0;
                    break;
                case ConsoleKey.End:
                case ConsoleKey.E when control:
                    _cursor = _buffer.Length;
                    break;
                case ConsoleKey.Escape:
                case ConsoleKey.U when control:
                    Replace("");
                    break;
                case ConsoleKey.UpArrow:
                    if (History.Previous(_buffer.ToString()) is { } previous)
                        Replace(previous);
                    break;
                case ConsoleKey.DownArrow:
                    if (History.Next() is { } next)
                        Replace(next);
                    break;
                case ConsoleKey.Tab:
                    Complete();
                    break;
                default:
                    if (!control && !char.IsControl(key.KeyChar) && key.KeyChar != '\0')
                        _buffer.Insert(_cursor++, key.KeyChar);
                    break;
            }
            Redraw();
        }
    }

    /// <summary>One candidate is taken with a space after it; several extend the word to what they share, then list.</summary>
    private void Complete()
    {
        var completion = completer.Complete(_buffer.ToString(0, _cursor));
        var typed = _cursor - completion.ReplaceFrom;
        switch (completion.Candidates)
        {
            case []:
                return;
            case [var only]:
                Insert(completion.ReplaceFrom, only + " ");
                return;
            case var many:
                var shared = CommonPrefix(many);
                if (shared.Length > typed)
                    Insert(completion.ReplaceFrom, shared);
                else
                {
                    output.WriteLine();
                    output.WriteLine(string.Join("  ", many));
                    output.Write(prompt);
                }
                return;
        }
    }

    private void Insert(int replaceFrom, string text)
    {
        _buffer.Remove(replaceFrom, _cursor - replaceFrom).Insert(replaceFrom, text);
        _cursor = replaceFrom + text.Length;
    }

    private void Replace(string line)
    {
        _buffer.Clear().Append(line);
        _cursor = line.Length;
    }

    private static string CommonPrefix(IReadOnlyList<string> words)
    {
        var length = words.Min(w => w.Length);
        for (var i = 0; i < length; i++)
        {
            if (words.Any(w => w[i] != words[0][i]))
                return words[0][..i];
        }
        return words[0][..length];
    }

    /// <summary>Carriage return, prompt and line, erase to the end of the screen line, then back to the cursor.</summary>
    private void Redraw()
    {
        output.Write($"\r{prompt}{_buffer}\u001b[K");
        if (_buffer.Length > _cursor)
            output.Write($"\u001b[{_buffer.Length - _cursor}D");
    }
}
