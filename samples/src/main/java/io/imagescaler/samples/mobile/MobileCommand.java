package io.imagescaler.samples.mobile;

import io.imagescaler.signer.DevKeyPair;
import io.imagescaler.signer.SigningKey;
import io.imagescaler.signer.UrlSigner;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mobile}: fetches images as a phone app would for its screen (see {@link ScreenFit} for which
 * variant), and prints for each what it asked for, what came back and from where.
 */
@Command(name = "mobile", mixinStandardHelpOptions = true, version = "mobile 0.1.0",
        description = "Fetch image variants like a phone app: sized for the screen, ETag-cached, retried, signed.")
public final class MobileCommand implements Callable<Integer> {
    @Option(names = "--edge", defaultValue = "http://127.0.0.1:8080", description = "the CDN / local edge origin")
    URI edge;

    @Option(names = "--width", required = true, description = "screen width in dp (CSS px), e.g. 390")
    int widthDp;

    @Option(names = "--dpr", defaultValue = "1", description = "device pixel ratio, e.g. 3")
    double dpr;

    @Option(names = "--ladder", split = ",", description = "ask for w_{width} from this ladder instead of presets,"
            + " e.g. 320,640,960,1280,1920")
    List<Integer> ladder = List.of();

    @Option(names = "--format", defaultValue = "webp", description = "jpg, png, webp, avif, gif or auto")
    String format;

    @Option(names = "--accept", defaultValue = "image/avif,image/webp,image/*", description = "Accept header (decides .auto)")
    String accept;

    @Option(names = "--data", defaultValue = "data", description = "the local edge's data dir (keys under cloudfront-keys/)")
    Path data;

    @Option(names = "--key", description = "PEM private key to sign with (default: the local edge's dev key)")
    Path key;

    @Option(names = "--key-pair-id", defaultValue = DevKeyPair.DEFAULT_KEY_PAIR_ID)
    String keyPairId;

    @Option(names = "--unsigned", description = "do not sign (a distribution without signed URLs)")
    boolean unsigned;

    @Option(names = "--cache", defaultValue = "${user.home}/.cache/image-scaler-mobile", description = "ETag cache dir")
    Path cacheDir;

    @Option(names = "--out", description = "write each image here as {id}-{transform}.{fmt}")
    Path out;

    @Option(names = "--attempts", defaultValue = "4", description = "tries per request (5xx and connection errors)")
    int attempts;

    @Option(names = "--backoff-ms", defaultValue = "200", description = "first pause between tries; doubles each time")
    long backoffMs;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "image ids (after '--' when one begins with '-')")
    List<String> ids;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter say = spec.commandLine().getOut();
        ScreenFit.Choice choice = ladder.isEmpty() ? ScreenFit.preset(widthDp, dpr, ScreenFit.DEFAULT_PRESETS)
                : ScreenFit.ladder(widthDp, dpr, ladder);
        say.printf("screen %d dp x %s = %d px -> %s.%s (%d px: %s)%n", widthDp, dpr, choice.pixelsNeeded(),
                choice.transform(), format, choice.pixelsAsked(), choice.reason());
        VariantFetcher fetcher = new VariantFetcher(edge, signer(), new EtagCache(cacheDir),
                new VariantFetcher.Backoff(attempts, Duration.ofMillis(backoffMs), Duration.ofSeconds(10)), accept);
        int failures = 0;
        for (String id : ids) {
            String variant = choice.transform() + "." + format;
            VariantFetcher.Fetched f = fetcher.fetch("/v1/images/" + id + "/" + variant);
            StringBuilder line = new StringBuilder("GET " + f.path() + " -> " + f.status());
            f.hops().forEach(h -> line.append(" [").append(h).append("]"));
            if (f.ok()) {
                line.append(" ").append(f.contentType()).append(" ").append(f.bytes().length).append(" B from ")
                        .append(f.source().words());
                if (!f.xCache().isEmpty()) {
                    line.append(" (X-Cache: ").append(f.xCache()).append(")");
                }
                if (out != null) {
                    Files.createDirectories(out);
                    Path file = out.resolve(id + "-" + variant);
                    Files.write(file, f.bytes());
                    line.append(" -> ").append(file);
                }
            } else {
                failures++;
                line.append(" ").append(f.problem() == null ? "" : f.problem().strip());
            }
            line.append(", ").append(f.attempts()).append(f.attempts() == 1 ? " request" : " requests").append(", ")
                    .append(f.millis()).append(" ms");
            say.println(line);
        }
        say.flush();
        return failures == 0 ? 0 : 1;
    }

    private Optional<UrlSigner> signer() throws Exception {
        if (unsigned) {
            return Optional.empty();
        }
        SigningKey signingKey = key != null ? SigningKey.fromPemFile(keyPairId, key)
                : DevKeyPair.loadOrCreate(data.resolve("cloudfront-keys"), keyPairId).signingKey();
        return Optional.of(UrlSigner.with(signingKey));
    }

    public static CommandLine commandLine() {
        // Image ids are URL-safe base64 and may begin with '-' ("-Vx3..."): never read one as an option cluster
        // (-V would print the version and exit 0); such ids go after "--".
        return new CommandLine(new MobileCommand()).setPosixClusteredShortOptionsAllowed(false)
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println("mobile: " + e.getMessage()
                            + " (image ids that begin with '-' go after '--': mobile [options] -- ID...)");
                    e.getCommandLine().getErr().flush();
                    return 2;
                })
                .setExecutionExceptionHandler((e, cli, parsed) -> {
            cli.getErr().println("mobile: " + e.getMessage());
            cli.getErr().flush();
            return 2;
        });
    }

    public static void main(String[] args) {
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(commandLine().execute(args));
    }
}
