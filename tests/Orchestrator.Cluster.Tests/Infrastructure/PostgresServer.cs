namespace Orchestrator.Cluster.Tests.Infrastructure;

/// <summary>A throwaway PostgreSQL 15 started by deploy/local/postgres.sh in a directory of its own.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    private PostgresServer(string directory, int port, string connectionString) =>
        (Directory, Port, ConnectionString) = (directory, port, connectionString);

    public string Directory { get; }

    public int Port { get; }

    public string ConnectionString { get; }

    public string LogPath => Path.Combine(Directory, "postgres.log");

    public static async Task<PostgresServer> Start(string directory, int port)
    {
        var (exitCode, output) = await TestEnvironment.Run("bash", [TestEnvironment.PostgresScript, "start", directory, port.ToString()], ScriptTimeout).ConfigureAwait(false);
        if (exitCode != 0)
            throw new InvalidOperationException($"postgres.sh start {directory} {port} failed ({exitCode}):\n{output}");
        // The script prints the connection string (trust auth) as its last line.
        var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("Host=", StringComparison.Ordinal))
            ?? $"Host=127.0.0.1;Port={port};Database=orchestrator;Username=postgres";
        return new PostgresServer(directory, port, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        var (exitCode, output) = await TestEnvironment.Run("bash", [TestEnvironment.PostgresScript, "stop", Directory], ScriptTimeout).ConfigureAwait(false);
        if (exitCode != 0)
            throw new InvalidOperationException($"postgres.sh stop {Directory} failed ({exitCode}):\n{output}");
    }
}
