using System.Security.Cryptography;
using System.Text;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.KeyPairCommands;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class KeyPairTests
{
    private const string Id = "key-0123456789abcdef0";
    private const string Ed25519Line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICXFpafSXZoh5sVp1AGz6Ek2S9XdD7wS2z1asyoKgd/a me@host";

    private readonly EntityHarness<KeyPair, IKeyPairCommand, IKeyPairEvent> _key = new(new KeyPairBehavior());

    [Fact]
    public void Create_stores_the_public_half_and_delete_ends_it()
    {
        _key.Execute(new Create(Id, "deploy", KeyPair.Ed25519, "fp", "ssh-ed25519 AAAA"));
        var view = KeyPairView.From(_key.State!);
        Assert.Equal(("deploy", "ed25519", "fp", TestRegion.Epoch), (view.KeyName, view.KeyType, view.KeyFingerprint, view.CreateTime));
        _key.Execute(new Delete(Id));
        Assert.Null(_key.State);
        Assert.Equal("InvalidKeyPair.NotFound", _key.Refuse(new Delete(Id)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("clé")]
    public void Names_are_1_to_255_ascii_characters(string name) =>
        Assert.Equal("InvalidParameterValue", _key.Refuse(new Create(Id, name, KeyPair.Rsa, "fp", "ssh-rsa AAAA")).Code);

    [Fact]
    public void Imported_ed25519_fingerprint_is_the_base64_sha256_of_the_blob_as_ssh_keygen_shows_it()
    {
        var key = OpenSshPublicKey.Parse(Ed25519Line).Value;
        Assert.Equal("ed25519", key.KeyType);
        // ssh-keygen -lf prints SHA256:tTZMZ3sDnJzueVGe9RnjmioQ0QOxBG8B7+RzqtGk8YY for this key; EC2 keeps the base64 padding.
        Assert.Equal("tTZMZ3sDnJzueVGe9RnjmioQ0QOxBG8B7+RzqtGk8YY=", key.ImportedFingerprint());
        Assert.Equal(Ed25519Line[..^8], key.Line);
    }

    [Fact]
    public void Imported_rsa_fingerprint_is_the_md5_of_the_der_public_key()
    {
        using var rsa = RSA.Create(2048);
        var line = OpenSshPublicKey.FromRsa(rsa.ExportParameters(false)).Line + " comment";
        var parsed = OpenSshPublicKey.Parse(line).Value;
#pragma warning disable CA5351 // the fingerprint AWS defines
        var expected = string.Join(':', MD5.HashData(rsa.ExportSubjectPublicKeyInfo()).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning restore CA5351
        Assert.Equal(("rsa", expected), (parsed.KeyType, parsed.ImportedFingerprint()));
    }

    [Theory]
    [InlineData(512, false)]
    [InlineData(1024, true)]
    [InlineData(3072, true)]
    [InlineData(4096, true)]
    public void Rsa_keys_of_1024_to_4096_bits_import(int bits, bool accepted)
    {
        using var rsa = RSA.Create();
        rsa.KeySize = bits;
        Assert.Equal(accepted, !OpenSshPublicKey.Parse(OpenSshPublicKey.FromRsa(rsa.ExportParameters(false)).Line).IsError);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP")]
    [InlineData("ssh-rsa not-base64!")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1yc2EAAAADAQAB")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    public void Anything_but_an_openssh_rsa_or_ed25519_key_is_invalid_key_format(string text) =>
        Assert.Equal("InvalidKey.Format", OpenSshPublicKey.Parse(text).Error?.Code);

    [Fact]
    public void Ed25519_public_key_matches_rfc_8032_test_vector_1()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(Ed25519Keys.PublicKeyFromSeed(seed)));
    }

    [Fact]
    public void Created_rsa_fingerprint_is_the_sha1_of_the_pkcs8_private_key()
    {
        using var rsa = RSA.Create(2048);
        var fingerprint = OpenSshPublicKey.CreatedRsaFingerprint(rsa.ExportPkcs8PrivateKey());
        Assert.Equal(59, fingerprint.Length); // 20 bytes as colon-separated hex
    }

    [Fact]
    public void Private_keys_come_as_pkcs1_pem_openssh_pem_or_putty_v3()
    {
        using var rsa = RSA.Create(2048);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", PrivateKeyFormats.RsaPem(rsa));
        Assert.StartsWith("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: k\n", PrivateKeyFormats.RsaPpk(rsa, "k"));
        var seed = new byte[32];
        var openSsh = PrivateKeyFormats.Ed25519Pem(seed, Ed25519Keys.PublicKeyFromSeed(seed), "k", 7);
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", openSsh);
        var body = Convert.FromBase64String(string.Concat(openSsh.Split('\n')[1..^2]));
        Assert.StartsWith("openssh-key-v1\0", Encoding.ASCII.GetString(body));
    }
}
