package io.imagescaler.handler.tracing;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How requests are traced and measured, read once at start.
 *
 * @param xray          {@code TRACING=xray|off}; by default on inside a Lambda with active tracing (Lambda sets
 *                      {@code AWS_XRAY_DAEMON_ADDRESS} then), off elsewhere
 * @param daemonAddress {@code AWS_XRAY_DAEMON_ADDRESS} (default {@code 127.0.0.1:2000}): where segments go, over
 *                      UDP, in the daemon's protocol (the local edge listens there)
 * @param insideLambda  {@code LAMBDA_TASK_ROOT} is set: Lambda owns the request's segment and the handler adds
 *                      a subsegment to it
 * @param emf           {@code METRICS=emf|off} (default emf): one CloudWatch EMF line per request on stdout
 * @param namespace     {@code METRICS_NAMESPACE} (default {@code ImageScaler})
 */
public record TracingConfig(boolean xray, String daemonAddress, boolean insideLambda, boolean emf, String namespace) {
    public static final String SERVICE = "image-handler";

    public TracingConfig {
        int colon = daemonAddress.lastIndexOf(':');
        if (colon <= 0 || !daemonAddress.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("configuration: AWS_XRAY_DAEMON_ADDRESS is host:port (e.g. "
                    + "127.0.0.1:2000), got '" + daemonAddress + "'");
        }
        if (!namespace.matches("[A-Za-z0-9._/#:\\- ]{1,255}")) {
            throw new IllegalArgumentException("configuration: METRICS_NAMESPACE must be 1-255 letters, digits or "
                    + "._/#:- characters, got '" + namespace + "'");
        }
    }

    public static TracingConfig off() {
        return new TracingConfig(false, "127.0.0.1:2000", false, false, "ImageScaler");
    }

    public static TracingConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        boolean lambda = get.apply("LAMBDA_TASK_ROOT").isPresent();
        boolean xray = get.apply("TRACING").map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "xray" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("configuration: TRACING is xray or off, got '" + v + "'");
        }).orElse(lambda && get.apply("AWS_XRAY_DAEMON_ADDRESS").isPresent());
        boolean emf = get.apply("METRICS").map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "emf" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("configuration: METRICS is emf or off, got '" + v + "'");
        }).orElse(true);
        return new TracingConfig(xray, get.apply("AWS_XRAY_DAEMON_ADDRESS").orElse("127.0.0.1:2000"), lambda, emf,
                get.apply("METRICS_NAMESPACE").orElse("ImageScaler"));
    }

    @Override
    public String toString() {
        return "tracing " + (xray ? "X-Ray to " + daemonAddress + (insideLambda ? " (Lambda segment)" : "") : "off")
                + ", metrics " + (emf ? "EMF namespace " + namespace : "off");
    }
}
