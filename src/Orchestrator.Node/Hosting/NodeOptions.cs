using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Node.Hosting;

public enum PersistenceMode
{
    Sqlite,
    Postgres,
    Memory,
}

/// <summary>A node's options: each a --flag or an ORCH_NAME environment variable (flags win).</summary>
public sealed record NodeOptions
{
    public string DataDir { get; init; } = "./data";
    public string ApiHost { get; init; } = "127.0.0.1";
    public int ApiPort { get; init; } = 4566;
    public string ManagementHost { get; init; } = "127.0.0.1";
    public int ManagementPort { get; init; } = 9110;
    public string NodeHost { get; init; } = "127.0.0.1";
    public int NodePort { get; init; } = 4053;
    public ImmutableArray<string> Seeds { get; init; } = [];
    public PersistenceMode Persistence { get; init; } = PersistenceMode.Sqlite;
    public string? ConnectionString { get; init; }
    /// <summary>Null when not given: the cluster keeps its persisted scale (1 on first start).</summary>
    public double? TimeScale { get; init; }
    public string Region { get; init; } = "us-east-1";
    public ImmutableArray<string> Azs { get; init; } = ["us-east-1a", "us-east-1b", "us-east-1c"];
    public string? ManagementToken { get; init; }
    /// <summary>Refuse AMI ids outside the catalogue (InvalidAMIID.NotFound) instead of accepting any well-formed one.</summary>
    public bool StrictImages { get; init; }
    /// <summary>Verify SigV4 signatures (secret key "test" for every access key); off by default, as LocalStack.</summary>
    public bool VerifySignatures { get; init; }
    public string AccountId { get; init; } = "000000000000";
    /// <summary>
    /// When set, every HTTP listener of the region is served for real on loopback at its port plus this
    /// offset (0: the listener's own port), so curl or wrk can send requests through the simulation.
    /// </summary>
    public int? ListenerPortOffset { get; init; }

    public string SelfAddress => $"akka.tcp://orchestrator@{NodeHost}:{NodePort}";

    private static readonly string[] Names =
    [
        "data-dir", "api-host", "api-port", "management-host", "management-port", "node-host", "node-port", "seed",
        "persistence", "connection-string", "time-scale", "region", "azs", "management-token", "strict-images", "verify-signatures", "account-id",
        "listener-ports",
    ];

    /// <summary>Parses flags over environment variables; a problem comes back as one line naming it.</summary>
    public static (NodeOptions? Options, string? Error) Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var variable = "ORCH_" + name.ToUpperInvariant().Replace('-', '_');
            if (environment.TryGetValue(variable, out var value) && value.Length > 0)
                values[name] = name == "seed" ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [value];
        }
        var fromFlags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                return (null, $"unexpected argument '{arg}' (options are --name value)");
            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
                (name, value) = (name[..equals], name[(equals + 1)..]);
            else if (i + 1 < args.Count)
                value = args[++i];
            else
                return (null, $"option --{name} needs a value");
            if (!Names.Contains(name))
                return (null, $"unknown option --{name} (known: {string.Join(", ", Names.Select(n => "--" + n))})");
            if (fromFlags.Add(name) || name != "seed")
                values[name] = [];
            values[name].Add(value);
        }
        try
        {
            return (Build(values), null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }

    private static NodeOptions Build(Dictionary<string, List<string>> values)
    {
        string? One(string name) => values.TryGetValue(name, out var v) ? v[^1] : null;
        var options = new NodeOptions();
        if (One("data-dir") is { } dataDir) options = options with { DataDir = dataDir };
        if (One("api-host") is { } apiHost) options = options with { ApiHost = apiHost };
        if (One("api-port") is { } apiPort) options = options with { ApiPort = Port("api-port", apiPort) };
        if (One("management-host") is { } managementHost) options = options with { ManagementHost = managementHost };
        if (One("management-port") is { } managementPort) options = options with { ManagementPort = Port("management-port", managementPort) };
        if (One("node-host") is { } nodeHost) options = options with { NodeHost = nodeHost };
        if (One("node-port") is { } nodePort) options = options with { NodePort = Port("node-port", nodePort) };
        if (values.TryGetValue("seed", out var seeds)) options = options with { Seeds = [.. seeds.Select(Seed)] };
        if (One("persistence") is { } persistence)
            options = options with
            {
                Persistence = persistence.ToLowerInvariant() switch
                {
                    "sqlite" => PersistenceMode.Sqlite,
                    "postgres" or "postgresql" => PersistenceMode.Postgres,
                    "memory" => PersistenceMode.Memory,
                    _ => throw new FormatException($"unknown persistence '{persistence}' (use sqlite, postgres or memory)"),
                },
            };
        if (One("connection-string") is { } connectionString) options = options with { ConnectionString = connectionString };
        if (One("time-scale") is { } scale)
        {
            if (!double.TryParse(scale, NumberStyles.Float, CultureInfo.InvariantCulture, out var timeScale) || timeScale <= 0 || timeScale > 10_000)
                throw new FormatException($"--time-scale must be a number in (0, 10000], got '{scale}'");
            options = options with { TimeScale = timeScale };
        }
        if (One("region") is { } region) options = options with { Region = region };
        if (One("azs") is { } azs)
        {
            var zones = azs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (zones.Length == 0 || zones.Distinct().Count() != zones.Length)
                throw new FormatException($"--azs must list distinct zone names, got '{azs}'");
            options = options with { Azs = [.. zones] };
        }
        else if (One("region") is { } onlyRegion)
            options = options with { Azs = [$"{onlyRegion}a", $"{onlyRegion}b", $"{onlyRegion}c"] };
        if (One("management-token") is { } token) options = options with { ManagementToken = token };
        if (One("strict-images") is { } strict)
            options = options with { StrictImages = Flag("strict-images", strict) };
        if (One("verify-signatures") is { } verify)
            options = options with { VerifySignatures = Flag("verify-signatures", verify) };
        if (One("account-id") is { } account)
        {
            if (account.Length != 12 || !account.All(char.IsAsciiDigit))
                throw new FormatException($"--account-id must be 12 digits, got '{account}'");
            options = options with { AccountId = account };
        }
        if (One("listener-ports") is { } listenerPorts && listenerPorts != "off")
        {
            if (!int.TryParse(listenerPorts, NumberStyles.None, CultureInfo.InvariantCulture, out var listenerOffset) || listenerOffset > 65534)
                throw new FormatException($"--listener-ports must be 'off' or a port offset (0-65534: listener port 80 is served on 80 + offset), got '{listenerPorts}'");
            options = options with { ListenerPortOffset = listenerOffset };
        }
        if (options.Persistence == PersistenceMode.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new FormatException("--persistence postgres needs --connection-string (Host=...;Database=...;Username=...;Password=...)");
        if (options.Persistence == PersistenceMode.Memory && options.Seeds.Any(s => s != options.SelfAddress))
            throw new FormatException("--persistence memory serves one node only: it cannot join other seeds");
        return options;
    }

    private static bool Flag(string name, string value) =>
        bool.TryParse(value, out var flag) ? flag : throw new FormatException($"--{name} must be true or false, got '{value}'");

    private static int Port(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new FormatException($"--{name} must be a port number (0-65535), got '{value}'");

    /// <summary>A seed is host:port or a full akka.tcp://orchestrator@host:port address.</summary>
    private static string Seed(string value)
    {
        var address = value.StartsWith("akka.tcp://", StringComparison.Ordinal) ? value : $"akka.tcp://orchestrator@{value}";
        if (!Uri.TryCreate(address.Replace("akka.tcp://", "tcp://", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.UserInfo != "orchestrator" || uri.Port <= 0 || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath is not ("" or "/"))
            throw new FormatException($"malformed seed '{value}' (expected host:port or akka.tcp://orchestrator@host:port)");
        return $"akka.tcp://orchestrator@{uri.Host}:{uri.Port}";
    }
}
