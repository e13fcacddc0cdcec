package io.imagescaler.signer.cli;

import io.imagescaler.signer.SignatureVerifier;
import io.imagescaler.signer.SignedCookies;
import io.imagescaler.signer.TrustedKeyGroup;
import io.imagescaler.signer.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Explains whether, and why not, CloudFront would serve a signed URL. Exit 0 allowed, 1 refused. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a signed URL (and cookies) as CloudFront would; explain a refusal. Exit code 0 when"
                + " allowed, 1 when refused.")
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "The full URL as the viewer requests it.")
    String url;

    @Option(names = "--public-key", required = true, paramLabel = "ID=FILE",
            description = "Trusted public key (repeat for a key group of several).")
    Map<String, Path> publicKeys = new LinkedHashMap<>();

    @Option(names = "--cookie", paramLabel = "NAME=VALUE", description = "A request cookie (repeatable).")
    Map<String, String> cookies = new LinkedHashMap<>();

    @Option(names = "--cookie-header", description = "A whole Cookie header: 'a=1; b=2'.")
    String cookieHeader;

    @Option(names = "--ip", defaultValue = "127.0.0.1", description = "Viewer IP (default: ${DEFAULT-VALUE}).")
    String ip;

    @Option(names = "--now", description = "Check at this time (epoch seconds, ISO instant or a duration from now).")
    String now;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Map<String, String> all = new LinkedHashMap<>(cookies);
        all.putAll(SignedCookies.parseCookieHeader(cookieHeader));
        Instant at = now == null ? Instant.now() : new Moment(now).resolve(Instant.now());
        Verdict v = new SignatureVerifier(TrustedKeyGroup.fromPemFiles(publicKeys)).verify(url, all, ip, at);
        PrintWriter o = spec.commandLine().getOut();
        if (v.allowed()) {
            o.println("ALLOWED (" + v.source().name().toLowerCase() + "): " + v.reason());
        } else {
            o.println("REFUSED " + v.outcome() + ": " + v.reason());
            o.println("CloudFront would answer 403 with " + v.errorXml());
        }
        o.flush();
        return v.allowed() ? 0 : 1;
    }
}
