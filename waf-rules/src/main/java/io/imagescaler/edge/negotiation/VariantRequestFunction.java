package io.imagescaler.edge.negotiation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.NativeJSON;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * Runs the CloudFront Function {@code edge/variant-request.js}, the one source of format negotiation and URI
 * normalisation, in Rhino (a pure-Java JavaScript engine) with a CloudFront viewer-request event. The local edge
 * calls it for every variant GET; the cdk tests call it on the code the synthesized template carries.
 * The script is compiled once into a sealed scope; each call gets its own scope, so calls may run concurrently.
 */
public final class VariantRequestFunction {
    /** The classpath location of the function source (waf-rules/src/main/resources). */
    public static final String RESOURCE = "edge/variant-request.js";
    /** The one line that says what the engine encodes; the local edge rewrites it for its running engine. */
    static final Pattern ENCODES_LINE = Pattern.compile("^var ENCODES = '([a-z,]*)';$", Pattern.MULTILINE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final ScriptableObject shared;
    private final Function handler;

    private VariantRequestFunction(String source) {
        this.source = source;
        Context cx = Context.enter();
        try {
            cx.setLanguageVersion(Context.VERSION_ES6);
            cx.setInterpretedMode(true);
            shared = cx.initSafeStandardObjects(null, true);
            cx.evaluateString(shared, source, "variant-request.js", 1, null);
            if (!(shared.get("handler", shared) instanceof Function f)) {
                throw new IllegalArgumentException("the function source defines no handler(event)");
            }
            handler = f;
            shared.sealObject();
        } finally {
            Context.exit();
        }
    }

    /** Any function source, e.g. the {@code FunctionCode} of a synthesized CloudFormation template. */
    public static VariantRequestFunction of(String source) {
        return new VariantRequestFunction(source);
    }

    /** The source this module ships, as it is deployed. */
    public static VariantRequestFunction bundled() {
        return of(bundledSource());
    }

    public static String bundledSource() {
        try (InputStream in = VariantRequestFunction.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The formats the source says the engine encodes (its {@code ENCODES} line). */
    public Set<String> encodes() {
        Matcher m = ENCODES_LINE.matcher(source);
        if (!m.find()) {
            throw new IllegalStateException("no ENCODES line in the function source");
        }
        return Set.of(m.group(1).split(","));
    }

    /**
     * The same source with its {@code ENCODES} line set to {@code extensions} (e.g. without {@code avif} on an
     * engine that cannot encode it), so {@code .auto} never names a format the running engine cannot make.
     */
    public VariantRequestFunction encoding(Set<String> extensions) {
        Matcher m = ENCODES_LINE.matcher(source);
        if (!m.find()) {
            throw new IllegalStateException("no ENCODES line in the function source");
        }
        // keep the source's order (best first); only drop what the engine lacks
        String kept = java.util.Arrays.stream(m.group(1).split(","))
                .filter(e -> extensions.contains(e.toLowerCase(Locale.ROOT)))
                .collect(Collectors.joining(","));
        return of(source.substring(0, m.start()) + "var ENCODES = '" + kept + "';" + source.substring(m.end()));
    }

    /**
     * The URI CloudFront's origins see for a viewer request: {@code method} and {@code uri} as the viewer sent them
     * (the path, percent-encoding included) and its headers (names are lower-cased, as CloudFront does).
     */
    public String originUri(String method, String uri, Map<String, String> headers) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "1.0");
        event.putObject("context").put("eventType", "viewer-request");
        event.putObject("viewer").put("ip", "127.0.0.1");
        ObjectNode request = event.putObject("request");
        request.put("method", method);
        request.put("uri", uri);
        request.putObject("querystring");
        ObjectNode h = request.putObject("headers");
        headers.forEach((name, value) -> h.putObject(name.toLowerCase(Locale.ROOT)).put("value", value));
        request.putObject("cookies");
        return handle(event).path("uri").asText();
    }

    /** Runs {@code handler(event)} and returns what it returned (a request, or a response object). */
    public JsonNode handle(JsonNode event) {
        Context cx = Context.enter();
        try {
            cx.setLanguageVersion(Context.VERSION_ES6);
            cx.setInterpretedMode(true);
            Scriptable scope = cx.newObject(shared);
            scope.setPrototype(shared);
            scope.setParentScope(null);
            Object jsEvent = NativeJSON.parse(cx, scope, JSON.writeValueAsString(event), (c, s, t, args) -> args[1]);
            Object result = handler.call(cx, scope, scope, new Object[] {jsEvent});
            Object json = NativeJSON.stringify(cx, scope, result, null, null);
            return JSON.readTree(String.valueOf(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Context.exit();
        }
    }
}
