using System.Net;
using System.Text.Json;
using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

/// <summary>The palettes a real node listed (GET /_orchestrator/commands), recorded for offline tests.</summary>
internal static class Recorded
{
    public static string CommandsJson { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", "commands.json"));

    public static IReadOnlyList<PaletteInfo> Palettes { get; } = PaletteInfo.ParseList(CommandsJson);
}

/// <summary>Keys as a person would type them.</summary>
internal static class Keys
{
    public static readonly ConsoleKeyInfo Enter = Key(ConsoleKey.Enter, '\r');
    public static readonly ConsoleKeyInfo Tab = Key(ConsoleKey.Tab, '\t');
    public static readonly ConsoleKeyInfo Up = Key(ConsoleKey.UpArrow);
    public static readonly ConsoleKeyInfo Down = Key(ConsoleKey.DownArrow);
    public static readonly ConsoleKeyInfo Left = Key(ConsoleKey.LeftArrow);
    public static readonly ConsoleKeyInfo Home = Key(ConsoleKey.Home);
    public static readonly ConsoleKeyInfo Backspace = Key(ConsoleKey.Backspace, '\b');
    public static readonly ConsoleKeyInfo Delete = Key(ConsoleKey.Delete);
    public static readonly ConsoleKeyInfo CtrlC = new('\u0003', ConsoleKey.C, shift: false, alt: false, control: true);
    public static readonly ConsoleKeyInfo CtrlD = new('\u0004', ConsoleKey.D, shift: false, alt: false, control: true);

    public static IEnumerable<ConsoleKeyInfo> Type(string text) => text.Select(c => new ConsoleKeyInfo(c, c == ' ' ? ConsoleKey.Spacebar : 0, false, false, false));

    private static ConsoleKeyInfo Key(ConsoleKey key, char c = '\0') => new(c, key, false, false, false);
}

internal sealed class FakeKeys(IEnumerable<object> script) : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _keys = new(script.SelectMany(s => s switch
    {
        string text => Keys.Type(text),
        ConsoleKeyInfo key => [key],
        IEnumerable<ConsoleKeyInfo> keys => keys,
        _ => throw new ArgumentException($"not a key: {s}"),
    }));

    public ConsoleKeyInfo ReadKey() => _keys.TryDequeue(out var key) ? key : Keys.CtrlD;
}

/// <summary>A management port answering from a script; it records the command lines posted to it.</summary>
internal sealed class FakeHost(Func<string, (HttpStatusCode Status, object Body)> execute) : HttpMessageHandler
{
    public List<string> Lines { get; } = [];

    public HttpStatusCode ListStatus { get; init; } = HttpStatusCode.OK;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
            return new HttpResponseMessage(ListStatus) { Content = new StringContent(ListStatus == HttpStatusCode.OK ? Recorded.CommandsJson : """{"status":"starting"}""") };
        var line = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("line").GetString()!;
        Lines.Add(line);
        var (status, body) = execute(line);
        return new HttpResponseMessage(status) { Content = new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web))) };
    }
}

/// <summary>Runs `orch` in process with its output captured.</summary>
internal sealed class CliRun
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    public int ExitCode { get; private set; }

    public static async Task<CliRun> Of(string[] args, HttpMessageHandler? handler = null, IReadOnlyDictionary<string, string>? variables = null, IEnumerable<object>? keys = null, Interruption? interruption = null)
    {
        var run = new CliRun();
        var environment = new CliEnvironment(CliEnvironment.WriterOutput(run._out, run._error), variables ?? new Dictionary<string, string>(), new NoProgress(),
            (prompt, completer) => new LineEditor(new FakeKeys(keys ?? []), run._out, prompt, completer), handler) { Interruption = interruption ?? new Interruption() };
        run.ExitCode = await OrchCli.Run(args, environment, CancellationToken.None);
        return run;
    }
}
