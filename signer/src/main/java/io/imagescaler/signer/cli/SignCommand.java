package io.imagescaler.signer.cli;

import io.imagescaler.signer.HashAlgorithm;
import io.imagescaler.signer.IpRange;
import io.imagescaler.signer.Policy;
import io.imagescaler.signer.SignedCookies;
import io.imagescaler.signer.SigningKey;
import io.imagescaler.signer.UrlSigner;
import io.imagescaler.signer.aws.SecretsManagerKeySource;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Signs one URL, or makes the cookies for it. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign a URL (or make signed cookies). Canned policy unless --starts, --ip, --resource,"
                + " --wildcard or --custom asks for a custom one.")
final class SignCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Absolute URL to sign, e.g. https://d111.cloudfront.net/v1/images/ID/w_800.webp")
    String url;

    @Option(names = "--key-pair-id", required = true, description = "CloudFront public key id (or key pair id).")
    String keyPairId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeyOrigin keyOrigin;

    static final class KeyOrigin {
        @Option(names = "--private-key", description = "PEM file (PKCS#8 or PKCS#1).")
        Path file;

        @Option(names = "--private-key-env", description = "Environment variable holding the PEM (or base64 of it).")
        String variable;

        @Option(names = "--private-key-secret", description = "AWS Secrets Manager secret id holding the PEM, or JSON"
                + " {keyPairId, privateKey} (needs --aws-region; credentials from the default AWS chain).")
        String secretId;
    }

    @Option(names = "--aws-region", description = "Region of the Secrets Manager secret.")
    String awsRegion;

    @Option(names = "--aws-endpoint", description = "Secrets Manager endpoint override (e.g. a local stand-in).")
    java.net.URI awsEndpoint;

    @Option(names = "--expires", defaultValue = "1h",
            description = "End of validity: 15m, 12h, 7d, epoch seconds or ISO instant (default: ${DEFAULT-VALUE}).")
    String expires;

    @Option(names = "--starts", description = "Start of validity (custom policy), same formats as --expires.")
    String starts;

    @Option(names = "--ip", description = "IPv4 CIDR the viewer must come from (custom policy).")
    String ip;

    @Option(names = "--resource", description = "Policy resource pattern with * and ? wildcards (custom policy).")
    String resource;

    @Option(names = "--wildcard", description = "Resource = the URL's directory + '*' (e.g. every variant of an image).")
    boolean wildcard;

    @Option(names = "--custom", description = "Use a custom policy even when a canned one would do.")
    boolean custom;

    @Option(names = "--hash", defaultValue = "SHA1", description = "SHA1 or SHA256 (default: ${DEFAULT-VALUE}).")
    HashAlgorithm hash;

    @Option(names = "--cookies", description = "Print signed cookies (Set-Cookie lines and a curl -b value) instead of a URL.")
    boolean cookies;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private SigningKey fromSecretsManager() {
        if (awsRegion == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--private-key-secret needs --aws-region");
        }
        try (var client = SecretsManagerKeySource.client(Region.of(awsRegion),
                DefaultCredentialsProvider.builder().build(), awsEndpoint)) {
            // a JSON secret names its own key pair id, which then wins over --key-pair-id
            return new SecretsManagerKeySource(client).signingKey(keyOrigin.secretId, keyPairId);
        }
    }

    @Override
    public Integer call() throws IOException {
        Instant now = Instant.now();
        SigningKey key = keyOrigin.file != null ? SigningKey.fromPemFile(keyPairId, keyOrigin.file)
                : keyOrigin.variable != null ? SigningKey.fromEnvironment(keyPairId, keyOrigin.variable)
                : fromSecretsManager();
        UrlSigner signer = UrlSigner.with(key).hash(hash);
        String pattern = resource != null ? resource : wildcard ? url.substring(0, url.lastIndexOf('/') + 1) + "*" : null;
        Policy policy = new Policy(pattern != null ? pattern : url, new Moment(expires).resolve(now),
                starts == null ? null : new Moment(starts).resolve(now), ip == null ? null : IpRange.parse(ip));
        boolean canned = !custom && pattern == null && policy.fitsCanned();
        PrintWriter o = spec.commandLine().getOut();
        if (cookies) {
            SignedCookies c = canned ? signer.cookiesCanned(url, policy.dateLessThan()) : signer.cookiesCustom(policy);
            URI u = URI.create(url);
            c.setCookieHeaders(u.getHost(), "/").forEach(line -> o.println("Set-Cookie: " + line));
            o.println("curl -b '" + c.cookieHeader() + "' '" + url + "'");
        } else {
            o.println(canned ? signer.signCanned(url, policy.dateLessThan()) : signer.signCustom(url, policy));
        }
        o.flush();
        return 0;
    }
}
