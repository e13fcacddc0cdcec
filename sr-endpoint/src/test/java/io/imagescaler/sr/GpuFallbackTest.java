package io.imagescaler.sr;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU container's settings (SR_DEVICE=gpu, SR_PRECISION=fp16) on a machine whose ONNX Runtime has no
 * usable CUDA provider (this build's CPU-only jar): the server still serves, on CPU in fp32, says so in a
 * warning, in /ping and in its metric lines, and answers invocations.
 */
class GpuFallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void gpuRequestedButUnavailableServesOnCpuAndSaysSo() throws Exception {
        Logger modelLog = (Logger) LoggerFactory.getLogger(EsrganModel.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        modelLog.addAppender(logged);
        List<String> metrics = new CopyOnWriteArrayList<>();
        SrConfig config = SrConfig.defaults().withPort(0).withThreads(1).withDevice("gpu", "fp16")
                .withModels(Map.of(2, "esrgan-medium-x2"), 2);
        try (SrServer server = SrServer.start(config, () -> SuperResolution.load(config, new ServingMetrics(metrics::add)))
                .awaitReady(Duration.ofSeconds(60))) {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode ping = JSON.readTree(http.send(HttpRequest.newBuilder(server.baseUri().resolve("ping")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("cpu", ping.get("provider").asText());
            assertEquals("esrgan-medium-x2", ping.at("/serving/2/model").asText());
            assertEquals("cpu", ping.at("/serving/2/provider").asText());
            assertEquals("fp32", ping.at("/serving/2/precision").asText(), "fp16 is for CUDA only");

            assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                            && e.getFormattedMessage().contains("CUDA execution provider requested but not available")
                            && e.getFormattedMessage().contains("serving on CPU")),
                    () -> "no fallback warning in " + logged.list);

            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(server.baseUri().resolve("invocations"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes("images/png-tiny-16x16.png"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, answer.statusCode());
            JsonNode loaded = JSON.readTree(metrics.get(0));
            assertEquals("ImageScaler", loaded.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
            assertEquals("[\"Service\",\"Model\",\"Provider\"]", loaded.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString());
            assertEquals("cpu", loaded.get("Provider").asText());
            assertEquals("esrgan-medium-x2", loaded.get("Model").asText());
            assertEquals(1, loaded.get("ModelLoaded").asInt());
            JsonNode invoked = JSON.readTree(metrics.get(metrics.size() - 1));
            assertEquals("cpu", invoked.get("Provider").asText());
            assertEquals(1, invoked.get("Invocations").asInt());
            assertTrue(invoked.get("InferenceMs").asDouble() >= 0);
            assertEquals(32 * 32 / 1e6, invoked.get("OutputMegapixels").asDouble(), 1e-3);
        } finally {
            modelLog.detachAppender(logged);
        }
    }
}
