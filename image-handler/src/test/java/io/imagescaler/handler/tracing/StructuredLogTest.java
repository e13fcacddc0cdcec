package io.imagescaler.handler.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The Lambda's log lines, encoded by the shipped logback.xml: one JSON object per line with the request's ids. */
class StructuredLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestLineIsOneJsonObjectWithLevelMessageIdsAndDurations() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(StructuredLogTest.class.getResource("/logback.xml"));
        @SuppressWarnings("unchecked")
        var appender = (OutputStreamAppender<ILoggingEvent>) context.getLogger("ROOT").getAppender("JSON");

        LoggingEvent event = new LoggingEvent("x", context.getLogger(Telemetry.class), Level.INFO,
                "{} answered {} in {} ms", null, new Object[] {"variant", 200, "35.2"});
        event.setMDCPropertyMap(Map.of("requestId", "req-1", "traceId", "1-6b0443a7-6c574f52324692f16a6de36d",
                "imageId", "img-1"));
        event.setKeyValuePairs(List.of(new KeyValuePair("status", 200), new KeyValuePair("latencyMs", 35.2),
                new KeyValuePair("durationsMs", Map.of("decode", 12.5))));
        String encoded = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);

        assertTrue(encoded.endsWith("\n"));
        assertFalse(encoded.strip().contains("\n"), "one line: " + encoded);
        JsonNode line = JSON.readTree(encoded);
        assertEquals("INFO", line.get("level").asText());
        assertEquals("variant answered 200 in 35.2 ms", line.get("message").asText());
        assertEquals("req-1", line.get("requestId").asText());
        assertEquals("1-6b0443a7-6c574f52324692f16a6de36d", line.get("traceId").asText());
        assertEquals("img-1", line.get("imageId").asText());
        assertEquals(200, line.get("status").asInt());
        assertEquals(35.2, line.get("latencyMs").asDouble());
        assertEquals(12.5, line.at("/durationsMs/decode").asDouble());
        assertTrue(line.has("timestamp"));
        context.stop();
    }
}
