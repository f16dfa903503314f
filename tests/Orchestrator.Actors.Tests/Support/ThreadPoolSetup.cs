using System.Runtime.CompilerServices;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// As a SQLite node does at start-up (OrchestratorNode): Microsoft.Data.Sqlite's async calls block
/// a pool thread each, and a thousand persistent actors recovering at once would otherwise starve
/// the pool on a 2-core machine (it grows by about a thread a second).
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 48), io);
    }
}
