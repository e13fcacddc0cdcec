package io.imagescaler.cdk;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void synth() throws Exception {
        Synthesized s = Synthesized.with("smoke", Map.of());
        Files.writeString(Synthesized.TARGET.resolve("smoke-template.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s.template().toJSON()));
    }
}
