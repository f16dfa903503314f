using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Domain.Ec2;

/// <summary>
/// The private key text CreateKeyPair returns: PEM (PKCS#1 for RSA, the OpenSSH format for
/// ed25519, as EC2 does) or an unencrypted PuTTY key (format 3). Pure: the key arrives generated.
/// </summary>
public static class PrivateKeyFormats
{
    public const string Pem = "pem";
    public const string Ppk = "ppk";

    public static string RsaPem(RSA rsa) => rsa.ExportRSAPrivateKeyPem();

    /// <summary>openssh-key-v1, unencrypted; checkInt is any random word (it only detects a wrong passphrase).</summary>
    public static string Ed25519Pem(byte[] seed, byte[] publicKey, string comment, uint checkInt)
    {
        var publicBlob = OpenSshPublicKey.FromEd25519(publicKey).Blob;
        var check = BitConverter.GetBytes(checkInt);
        var section = new List<byte>(check.Concat(check));
        section.AddRange(OpenSshPublicKey.Wire(Ascii("ssh-ed25519"), publicKey, [.. seed, .. publicKey], Ascii(comment)));
        for (byte pad = 1; section.Count % 8 != 0; pad++)
            section.Add(pad);
        var body = new List<byte>(Ascii("openssh-key-v1\0"));
        body.AddRange(OpenSshPublicKey.Wire(Ascii("none"), Ascii("none"), []));
        body.AddRange([0, 0, 0, 1]);
        body.AddRange(OpenSshPublicKey.Wire(publicBlob, [.. section]));
        var base64 = Convert.ToBase64String([.. body]);
        var lines = Enumerable.Range(0, (base64.Length + 69) / 70).Select(i => base64.Substring(i * 70, Math.Min(70, base64.Length - i * 70)));
        return $"-----BEGIN OPENSSH PRIVATE KEY-----\n{string.Join('\n', lines)}\n-----END OPENSSH PRIVATE KEY-----\n";
    }

    public static string RsaPpk(RSA rsa, string comment)
    {
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var publicBlob = OpenSshPublicKey.FromRsa(p).Blob;
        var privateBlob = OpenSshPublicKey.Wire(OpenSshPublicKey.Mpint(p.D!), OpenSshPublicKey.Mpint(p.P!), OpenSshPublicKey.Mpint(p.Q!), OpenSshPublicKey.Mpint(p.InverseQ!));
        return PuttyKey("ssh-rsa", comment, publicBlob, privateBlob);
    }

    public static string Ed25519Ppk(byte[] seed, byte[] publicKey, string comment) =>
        PuttyKey("ssh-ed25519", comment, OpenSshPublicKey.FromEd25519(publicKey).Blob, OpenSshPublicKey.Wire(seed));

    /// <summary>PuTTY-User-Key-File-3 without encryption: the MAC is HMAC-SHA-256 under an empty key.</summary>
    private static string PuttyKey(string algorithm, string comment, byte[] publicBlob, byte[] privateBlob)
    {
        var macInput = OpenSshPublicKey.Wire(Ascii(algorithm), Ascii("none"), Encoding.UTF8.GetBytes(comment), publicBlob, privateBlob);
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Array.Empty<byte>(), macInput));
        var publicLines = Lines(Convert.ToBase64String(publicBlob));
        var privateLines = Lines(Convert.ToBase64String(privateBlob));
        return $"PuTTY-User-Key-File-3: {algorithm}\nEncryption: none\nComment: {comment}\nPublic-Lines: {publicLines.Count}\n{string.Join('\n', publicLines)}\n"
            + $"Private-Lines: {privateLines.Count}\n{string.Join('\n', privateLines)}\nPrivate-MAC: {mac}\n";
    }

    private static List<string> Lines(string base64) =>
        [.. Enumerable.Range(0, (base64.Length + 63) / 64).Select(i => base64.Substring(i * 64, Math.Min(64, base64.Length - i * 64)))];

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
