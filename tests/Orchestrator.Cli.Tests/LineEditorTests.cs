using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

/// <summary>The prompt's editor driven by scripted keys.</summary>
public sealed class LineEditorTests
{
    private readonly StringWriter _screen = new();

    private LineEditor Editor(params object[] keys) => new(new FakeKeys(keys), _screen, "orch> ", new Completer(Recorded.Palettes));

    private static List<string?> Lines(LineEditor editor, int count) => [.. Enumerable.Range(0, count).Select(_ => editor.ReadLine())];

    [Fact]
    public void Typing_editing_at_the_cursor_and_enter_give_the_line()
    {
        var editor = Editor("sim tme", Keys.Left, Keys.Left, "i", Keys.Enter,
            "xsim pause", Keys.Home, Keys.Delete, Keys.Enter,
            "sim speed 10", Keys.Backspace, Keys.Enter);

        Assert.Equal(["sim time", "sim pause", "sim speed 1"], Lines(editor, 3));
    }

    [Fact]
    public void Up_and_down_walk_the_history_and_come_back_to_the_draft()
    {
        var editor = Editor("sim time", Keys.Enter, "sim pause", Keys.Enter, "sim pause", Keys.Enter,
            "draft", Keys.Up, Keys.Up, Keys.Enter,
            "draft", Keys.Up, Keys.Down, Keys.Enter,
            Keys.Up, Keys.Up, Keys.Up, Keys.Up, Keys.Down, Keys.Enter);

        var lines = Lines(editor, 6);

        Assert.Equal(["sim time", "sim pause", "sim pause", "sim time", "draft", "sim pause"], lines);
        // Repeats and empty lines are not kept twice.
        Assert.Equal(["sim time", "sim pause", "sim time", "draft", "sim pause"], editor.History.Entries);
    }

    [Fact]
    public void Tab_completes_a_unique_word_with_a_space_then_the_shared_prefix_then_lists()
    {
        var editor = Editor("ec", Keys.Tab, "la", Keys.Tab, "--im", Keys.Tab, "ami-1", Keys.Enter,
            "clu", Keys.Tab, Keys.Enter,
            "cluster", Keys.Tab, Keys.Enter);

        Assert.Equal(["ec2 launch --image ami-1", "cluster", "cluster"], Lines(editor, 3));
        // "cluster" is shared by two palettes: the second Tab lists them under the line.
        Assert.Contains("cluster  cluster-sharding", _screen.ToString());
    }

    [Fact]
    public void Completion_works_in_the_middle_of_a_line()
    {
        var editor = Editor("sim  x", Keys.Left, Keys.Left, "sp", Keys.Tab, Keys.Enter);

        Assert.Equal(["sim speed  x"], Lines(editor, 1));
    }

    [Fact]
    public void Ctrl_c_drops_the_line_and_ctrl_d_on_an_empty_line_ends_the_input()
    {
        var editor = Editor("ec2 terminate i-1", Keys.CtrlC, "sim time", Keys.Enter, Keys.CtrlD);

        Assert.Equal(["sim time", null], Lines(editor, 2));
    }
}
