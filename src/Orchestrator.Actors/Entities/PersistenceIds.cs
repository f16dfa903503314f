using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Actors.Entities;

/// <summary>
/// Persistence ids: kind, generation (a reset starts every entity over) and the entity id, hashed
/// when a user-chosen id would break the journal's 255-character column on PostgreSQL.
/// </summary>
public static class PersistenceIds
{
    private const int MaxReadableIdLength = 160;

    public static string For(string kind, long generation, string entityId)
    {
        var id = entityId.Length <= MaxReadableIdLength && entityId.All(c => c is > ' ' and < '\u007f')
            ? entityId
            : "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entityId)));
        return $"{kind}-g{generation}-{id}";
    }
}
