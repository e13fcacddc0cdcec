package io.imagescaler.signer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RSA keys in the PEM shapes CloudFront users meet: {@code openssl genrsa} writes PKCS#8
 * ({@code BEGIN PRIVATE KEY}, OpenSSL 3) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, OpenSSL 1.x); CloudFront
 * wants the public key as X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}).
 */
public final class PemKeys {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** AlgorithmIdentifier for rsaEncryption with NULL parameters (OID 1.2.840.113549.1.1.1). */
    private static final byte[] RSA_ALGORITHM_ID = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeys() {
    }

    public static KeyPair generateRsa2048() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RSA key generator", e);
        }
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        return parsePrivateKey(Files.readString(pem, StandardCharsets.US_ASCII));
    }

    public static PublicKey readPublicKey(Path pem) throws IOException {
        return parsePublicKey(Files.readString(pem, StandardCharsets.US_ASCII));
    }

    /** PEM text, or PEM text base64-encoded once more. */
    public static PrivateKey parsePrivateKey(String text) {
        Block b = block(text);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return switch (b.label()) {
                case "PRIVATE KEY" -> rsa.generatePrivate(new PKCS8EncodedKeySpec(b.der()));
                case "RSA PRIVATE KEY" -> rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(b.der())));
                default -> throw new IllegalArgumentException("not a private key PEM block: " + b.label());
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key: " + e.getMessage(), e);
        }
    }

    public static PublicKey parsePublicKey(String text) {
        Block b = block(text);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return switch (b.label()) {
                case "PUBLIC KEY" -> rsa.generatePublic(new X509EncodedKeySpec(b.der()));
                case "RSA PUBLIC KEY" -> rsa.generatePublic(new X509EncodedKeySpec(pkcs1ToSpki(b.der())));
                default -> throw new IllegalArgumentException("not a public key PEM block: " + b.label());
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key: " + e.getMessage(), e);
        }
    }

    /** PKCS#8, the form both the AWS SDK and node's crypto read. */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** X.509 SubjectPublicKeyInfo: the form CloudFront's "public key" console and API accept. */
    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private record Block(String label, byte[] der) {
    }

    private static Block block(String text) {
        String t = text.strip();
        if (!t.startsWith("-----BEGIN")) {
            try {
                t = new String(Base64.getMimeDecoder().decode(t), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("neither PEM text nor base64-encoded PEM text");
            }
        }
        Matcher m = BLOCK.matcher(t);
        if (!m.find()) {
            throw new IllegalArgumentException("no PEM block found");
        }
        if (t.contains("Proc-Type: 4,ENCRYPTED") || m.group(1).startsWith("ENCRYPTED")) {
            throw new IllegalArgumentException("encrypted private keys are not supported; decrypt with openssl first");
        }
        return new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2)));
    }

    // PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(version, RSA_ALGORITHM_ID, tlv(0x04, pkcs1)));
    }

    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    private static byte[] pkcs1ToSpki(byte[] pkcs1) {
        return tlv(0x30, concat(RSA_ALGORITHM_ID, tlv(0x03, concat(new byte[] {0}, pkcs1))));
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
