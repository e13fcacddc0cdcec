package io.imagescaler.sr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Consumer;

/**
 * What the endpoint serves, as CloudWatch Embedded Metric Format lines (the project's metric format): one
 * line when a model is loaded ({@code ModelLoaded}) and one per invocation ({@code Invocations},
 * {@code InferenceMs}, {@code LatencyMs}, {@code OutputMegapixels}), each with the dimensions
 * {@code Service}, {@code Model} and {@code Provider} (cuda or cpu), so a dashboard shows at once when a
 * GPU endpoint has fallen back to CPU. Namespace {@code ImageScaler}, as the handler's.
 */
public final class ServingMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NAMESPACE = "ImageScaler";
    static final String SERVICE = "sr-endpoint";

    private final Consumer<String> out;

    public ServingMetrics(Consumer<String> out) {
        this.out = out;
    }

    /** Lines on stdout, where the container's log driver (and CloudWatch Logs on SageMaker) picks them up. */
    public static ServingMetrics stdout() {
        return new ServingMetrics(System.out::println);
    }

    void modelLoaded(String model, String provider, String precision, int scale) {
        ObjectNode root = line(model, provider, precision, scale);
        put(root, "ModelLoaded", "Count", 1);
        out.accept(root.toString());
    }

    void invocation(String model, String provider, String precision, int scale, double inferenceMs, double latencyMs,
                    long outputPixels) {
        ObjectNode root = line(model, provider, precision, scale);
        put(root, "Invocations", "Count", 1);
        put(root, "InferenceMs", "Milliseconds", Math.round(inferenceMs * 10) / 10.0);
        put(root, "LatencyMs", "Milliseconds", Math.round(latencyMs * 10) / 10.0);
        put(root, "OutputMegapixels", "None", Math.round(outputPixels / 1e3) / 1e3);
        out.accept(root.toString());
    }

    private static ObjectNode line(String model, String provider, String precision, int scale) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Service").add("Model").add("Provider");
        directive.putArray("Metrics");
        root.put("Service", SERVICE);
        root.put("Model", model);
        root.put("Provider", provider);
        root.put("Precision", precision);
        root.put("Scale", scale);
        return root;
    }

    private static void put(ObjectNode root, String name, String unit, double value) {
        ((ArrayNode) root.at("/_aws/CloudWatchMetrics/0/Metrics")).addObject().put("Name", name).put("Unit", unit);
        root.put(name, value);
    }
}
