using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Terraform.Tests;

/// <summary>
/// One Terraform configuration against one node, shared by the facts of a class: the node
/// process (memory persistence, time x60 so instance boots and NAT gateway creation take a
/// second or two), a fresh work directory holding a copy of Configurations/&lt;name&gt;, a CLI
/// config pointing at the provider's filesystem mirror, and a plugin cache shared across runs.
/// The steps run at most once each and in order: init + apply, plan, destroy. The provider's
/// own waits are wall time that the time scale cannot compress, which is why a stack is shared.
/// </summary>
public abstract class TerraformStackFixture : IAsyncLifetime
{
    public const string ProviderVersion = "5.100.0";
    private static readonly TimeSpan InitTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PlanTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DestroyTimeout = TimeSpan.FromMinutes(10);

    private readonly StringBuilder _nodeOutput = new();
    private readonly SemaphoreSlim _steps = new(1, 1);
    private Process? _node;
    private CommandResult? _apply, _plan, _destroy;

    /// <summary>The folder under Configurations/.</summary>
    protected abstract string Configuration { get; }

    /// <summary>Node options a stack needs beyond the common ones (listener ports, say).</summary>
    protected virtual IEnumerable<string> NodeArguments => [];

    public int ApiPort { get; } = FreePort();
    public int ManagementPort { get; } = FreePort();
    public string Endpoint => $"http://127.0.0.1:{ApiPort}";
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), $"orch-tf-{Guid.NewGuid():N}"[..20]);
    public string Terraform { get; } = Environment.GetEnvironmentVariable("ORCH_TERRAFORM") ?? "terraform";

    public string NodeOutput { get { lock (_nodeOutput) return _nodeOutput.ToString(); } }

    /// <summary>Where plugins are cached between runs (TF_PLUGIN_CACHE_DIR wins when set).</summary>
    public static string PluginCache =>
        Environment.GetEnvironmentVariable("TF_PLUGIN_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "orchestrator-terraform-plugin-cache");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Configurations", Configuration), WorkDirectory);
        Directory.CreateDirectory(PluginCache);
        File.WriteAllText(Path.Combine(WorkDirectory, "terraform.rc"), CliConfig(FindMirror()));
        await StartNode();
    }

    public async Task DisposeAsync()
    {
        if (_node is { HasExited: false })
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        _node?.Dispose();
        // Kept when a step failed, for the TF_LOG files and the state (its path is in the report).
        if (_apply is { Succeeded: true } && _plan is { Succeeded: true } && _destroy is { Succeeded: true })
            Directory.Delete(WorkDirectory, recursive: true);
    }

    /// <summary>terraform init, then apply (once).</summary>
    public Task<CommandResult> Applied() => Step(() => _apply, r => _apply = r, async () =>
    {
        var init = await TerraformCommand("init", InitTimeout, "init", "-input=false", "-no-color");
        if (!init.Succeeded)
            return init with { Stderr = init.Stderr + "\n(terraform init failed; apply not run)" };
        return await TerraformCommand("apply", ApplyTimeout, "apply", "-auto-approve", "-input=false", "-no-color", $"-var=endpoint={Endpoint}");
    });

    /// <summary>A second plan after apply (once): exit 0 means no changes, 2 means changes.</summary>
    public Task<CommandResult> Planned() => Step(() => _plan, r => _plan = r, async () =>
    {
        if (!(await Applied()).Succeeded)
            return CommandResult.NotRun("terraform plan", "not run: apply failed (see the apply fact)");
        return await TerraformCommand("plan", PlanTimeout, "plan", "-detailed-exitcode", "-input=false", "-no-color", $"-var=endpoint={Endpoint}");
    });

    /// <summary>Destroy (once), after apply and the plan; it runs even when apply failed part-way.</summary>
    public Task<CommandResult> Destroyed() => Step(() => _destroy, r => _destroy = r, async () =>
    {
        var apply = await Applied();
        if (apply.Stderr.Contains("terraform init failed", StringComparison.Ordinal))
            return CommandResult.NotRun("terraform destroy", "not run: init failed");
        await Planned();
        return await TerraformCommand("destroy", DestroyTimeout, "destroy", "-auto-approve", "-input=false", "-no-color", $"-var=endpoint={Endpoint}");
    });

    /// <summary>`terraform output -json` as a document.</summary>
    public async Task<JsonElement?> Outputs()
    {
        var result = await TerraformCommand("output", PlanTimeout, "output", "-json", "-no-color");
        return result.Succeeded ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : null;
    }

    /// <summary>The AWS CLI against the node, JSON output.</summary>
    public Task<CommandResult> Aws(params string[] args) =>
        CommandRunner.Run("aws", ["--endpoint-url", Endpoint, "--output", "json", .. args], WorkDirectory, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_PAGER"] = "",
        }, TimeSpan.FromMinutes(1));

    /// <summary>A step's result with the node's log, for an assertion message.</summary>
    public string Report(CommandResult result, string? extra = null)
    {
        var text = new StringBuilder();
        if (extra is not null)
            text.AppendLine(extra);
        text.AppendLine(result.ToString());
        text.AppendLine($"--- work directory (state, terraform.rc, TF logs): {WorkDirectory}");
        text.AppendLine("--- node log ---").AppendLine(CommandResult.Tail(NodeOutput, 20_000));
        return text.ToString();
    }

    private async Task<CommandResult> Step(Func<CommandResult?> get, Action<CommandResult> set, Func<Task<CommandResult>> run)
    {
        if (get() is { } done)
            return done;
        // Steps call earlier steps; the semaphore is only held for this step's own command.
        var result = await run();
        await _steps.WaitAsync();
        try
        {
            if (get() is { } raced)
                return raced;
            set(result);
            return result;
        }
        finally
        {
            _steps.Release();
        }
    }

    private Task<CommandResult> TerraformCommand(string step, TimeSpan timeout, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["TF_IN_AUTOMATION"] = "1",
            ["TF_INPUT"] = "0",
            ["CHECKPOINT_DISABLE"] = "1",
            ["TF_CLI_CONFIG_FILE"] = Path.Combine(WorkDirectory, "terraform.rc"),
            ["TF_PLUGIN_CACHE_DIR"] = PluginCache,
            ["TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE"] = "1",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        // ORCH_TF_LOG=DEBUG (or TRACE) keeps the provider's request log of each step in the work directory.
        if (Environment.GetEnvironmentVariable("ORCH_TF_LOG") is { Length: > 0 } level)
        {
            environment["TF_LOG"] = level;
            environment["TF_LOG_PATH"] = Path.Combine(WorkDirectory, $"terraform-{step}.log");
        }
        return CommandRunner.Run(Terraform, args, WorkDirectory, environment, timeout);
    }

    private async Task StartNode()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args = [Path.Combine(AppContext.BaseDirectory, "Orchestrator.Node.dll"), "--persistence", "memory", "--time-scale", "60",
            "--api-port", ApiPort.ToString(), "--management-port", ManagementPort.ToString(), "--node-port", FreePort().ToString()];
        foreach (var arg in args.Concat(NodeArguments))
            info.ArgumentList.Add(arg);
        _node = new Process { StartInfo = info };
        _node.OutputDataReceived += (_, e) => { lock (_nodeOutput) _nodeOutput.AppendLine(e.Data); };
        _node.ErrorDataReceived += (_, e) => { lock (_nodeOutput) _nodeOutput.AppendLine(e.Data); };
        _node.Start();
        _node.BeginOutputReadLine();
        _node.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !_node.HasExited)
        {
            try
            {
                if ((await http.GetAsync($"{Endpoint}/_orchestrator/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // the API port opens once the node is ready
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node API not up; output:\n{NodeOutput}");
    }

    /// <summary>
    /// The provider's filesystem mirror: ORCH_TF_MIRROR, or the first known folder holding
    /// registry.terraform.io/hashicorp/aws/&lt;version&gt;; null to install from the registry.
    /// </summary>
    public static string? FindMirror()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string?[] candidates =
        [
            Environment.GetEnvironmentVariable("ORCH_TF_MIRROR"),
            "/opt/tf-plugins",
            Path.Combine(home, ".terraform.d", "plugins"),
            Path.Combine(home, ".local", "share", "terraform", "plugins"),
            "/usr/local/share/terraform/plugins",
            "/usr/share/terraform/plugins",
        ];
        return candidates.FirstOrDefault(dir =>
            dir is { Length: > 0 } && Directory.Exists(Path.Combine(dir, "registry.terraform.io", "hashicorp", "aws", ProviderVersion)));
    }

    private static string CliConfig(string? mirror) => mirror is null
        ? "# no filesystem mirror found: providers come from the registry\n"
        : $$"""
          provider_installation {
            filesystem_mirror {
              path    = "{{mirror}}"
              include = ["registry.terraform.io/*/*"]
            }
            direct {
              exclude = ["registry.terraform.io/*/*"]
            }
          }
          """;

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
