using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Ec2;

/// <summary>What CreateKeyPair answers: the stored key and the private key text, which exists only in this reply.</summary>
public sealed record CreatedKeyPair(KeyPairView KeyPair, string KeyMaterial);

/// <summary>
/// Key pairs: names are unique in the region (checked through the read model), keys are generated
/// here (randomness stays out of the decider), and only public halves reach the entity.
/// </summary>
public sealed class KeyPairService(EntityServices services) : ITaggableResources
{
    private const int RsaKeyBits = 2048;

    private readonly Ec2Service _ec2 = new(services);

    public IReadOnlyCollection<string> IdPrefixes { get; } = ["key"];

    public async Task<Result<CreatedKeyPair>> CreateKeyPair(string keyName, string? keyType, string? keyFormat, ImmutableDictionary<string, string>? tags,
        CancellationToken cancellationToken = default)
    {
        var type = keyType ?? KeyPair.Rsa;
        if (type is not (KeyPair.Rsa or KeyPair.Ed25519))
            return KeyPairErrors.InvalidKeyType(type);
        var format = keyFormat ?? PrivateKeyFormats.Pem;
        if (format is not (PrivateKeyFormats.Pem or PrivateKeyFormats.Ppk))
            return KeyPairErrors.InvalidKeyFormatParameter(format);
        OpenSshPublicKey publicKey;
        string material;
        string fingerprint;
        if (type == KeyPair.Rsa)
        {
            using var rsa = RSA.Create(RsaKeyBits);
            publicKey = OpenSshPublicKey.FromRsa(rsa.ExportParameters(includePrivateParameters: false));
            fingerprint = OpenSshPublicKey.CreatedRsaFingerprint(rsa.ExportPkcs8PrivateKey());
            material = format == PrivateKeyFormats.Pem ? PrivateKeyFormats.RsaPem(rsa) : PrivateKeyFormats.RsaPpk(rsa, keyName);
        }
        else
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            var publicBytes = Ed25519Keys.PublicKeyFromSeed(seed);
            publicKey = OpenSshPublicKey.FromEd25519(publicBytes);
            fingerprint = publicKey.ImportedFingerprint();
            material = format == PrivateKeyFormats.Pem
                ? PrivateKeyFormats.Ed25519Pem(seed, publicBytes, keyName, BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4)))
                : PrivateKeyFormats.Ed25519Ppk(seed, publicBytes, keyName);
        }
        var created = await Create(keyName, publicKey, fingerprint, tags, cancellationToken).ConfigureAwait(false);
        return created.Map(view => new CreatedKeyPair(view, material));
    }

    /// <summary>PublicKeyMaterial is the decoded blob: an OpenSSH public key line.</summary>
    public async Task<Result<KeyPairView>> ImportKeyPair(string keyName, byte[] publicKeyMaterial, ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(publicKeyMaterial);
        }
        catch (DecoderFallbackException)
        {
            return KeyPairErrors.InvalidKeyFormat();
        }
        var parsed = OpenSshPublicKey.Parse(text);
        if (parsed.IsError)
            return parsed.Error!;
        return await Create(keyName, parsed.Value, parsed.Value.ImportedFingerprint(), tags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every key pair, or those named by name or id (each must exist).</summary>
    public async Task<Result<IReadOnlyList<KeyPairView>>> DescribeKeyPairs(IReadOnlyCollection<string> keyNames, IReadOnlyCollection<string> keyPairIds)
    {
        var all = await _ec2.List<KeyPairView>(NetworkKinds.KeyPair).ConfigureAwait(false);
        if (keyNames.FirstOrDefault(name => all.All(k => k.KeyName != name)) is { } missingName)
            return KeyPairErrors.NotFound(missingName);
        if (keyPairIds.FirstOrDefault(id => !AwsIds.IsWellFormed(id, "key")) is { } malformed)
            return KeyPairErrors.IdMalformed(malformed);
        if (keyPairIds.FirstOrDefault(id => all.All(k => k.KeyPairId != id)) is { } missingId)
            return KeyPairErrors.NotFound(missingId);
        return Result<IReadOnlyList<KeyPairView>>.Ok([.. all.Where(k =>
            (keyNames.Count == 0 || keyNames.Contains(k.KeyName)) && (keyPairIds.Count == 0 || keyPairIds.Contains(k.KeyPairId)))]);
    }

    /// <summary>By name or id; an unknown name is not an error (EC2 answers success), and the answer is the deleted id if there was one.</summary>
    public async Task<Result<string?>> DeleteKeyPair(string? keyName, string? keyPairId, CancellationToken cancellationToken = default)
    {
        if (keyName is null && keyPairId is null)
            return AwsError.MissingParameter("The request must contain the parameter KeyName or KeyPairId");
        if (keyPairId is not null && !AwsIds.IsWellFormed(keyPairId, "key"))
            return KeyPairErrors.IdMalformed(keyPairId);
        var all = await _ec2.List<KeyPairView>(NetworkKinds.KeyPair).ConfigureAwait(false);
        var found = all.FirstOrDefault(k => keyPairId is not null ? k.KeyPairId == keyPairId : k.KeyName == keyName);
        if (found is null)
            return Result<string?>.Ok(null);
        var deleted = await _ec2.Delete(NetworkKinds.KeyPair, found.KeyPairId, new KeyPairCommands.Delete(found.KeyPairId), cancellationToken).ConfigureAwait(false);
        return deleted.Map<string?>(_ => found.KeyPairId);
    }

    public async Task<Result<TaggedResource>> AddTags(string resourceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken) =>
        await ChangeTags(resourceId, new KeyPairCommands.AddTags(resourceId, tags), cancellationToken).ConfigureAwait(false);

    public async Task<Result<TaggedResource>> RemoveTags(string resourceId, ImmutableArray<TagRemoval> tags, CancellationToken cancellationToken) =>
        await ChangeTags(resourceId, new KeyPairCommands.RemoveTags(resourceId, tags), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<TaggedResource>> List(CancellationToken cancellationToken) =>
        [.. (await _ec2.List<KeyPairView>(NetworkKinds.KeyPair).ConfigureAwait(false)).Select(k => new TaggedResource(k.KeyPairId, "key-pair", k.Tags))];

    private async Task<Result<TaggedResource>> ChangeTags(string keyPairId, IKeyPairCommand command, CancellationToken cancellationToken)
    {
        if (await services.Index.Get(NetworkKinds.KeyPair, keyPairId, services.Region.Current.Generation).ConfigureAwait(false) is null)
            return KeyPairErrors.NotFound(keyPairId);
        var changed = await _ec2.Send<KeyPair>(NetworkKinds.KeyPair, keyPairId, command, cancellationToken).ConfigureAwait(false);
        return changed.Map(k => new TaggedResource(k.KeyPairId, "key-pair", k.Tags));
    }

    private async Task<Result<KeyPairView>> Create(string keyName, OpenSshPublicKey publicKey, string fingerprint, ImmutableDictionary<string, string>? tags,
        CancellationToken cancellationToken)
    {
        if (!KeyPair.IsValidName(keyName))
            return KeyPairErrors.InvalidName(keyName);
        if ((await _ec2.List<KeyPairView>(NetworkKinds.KeyPair).ConfigureAwait(false)).Any(k => k.KeyName == keyName))
            return KeyPairErrors.Duplicate(keyName);
        var id = AwsIds.New("key");
        var created = await _ec2.Send<KeyPair>(NetworkKinds.KeyPair, id,
            new KeyPairCommands.Create(id, keyName, publicKey.KeyType, fingerprint, publicKey.Line, tags), cancellationToken).ConfigureAwait(false);
        return created.Map(KeyPairView.From);
    }
}
