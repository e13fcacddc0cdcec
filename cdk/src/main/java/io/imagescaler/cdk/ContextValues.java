package io.imagescaler.cdk;

import java.util.Optional;
import software.constructs.Node;

/** Reading {@code -c key=value} context: trimmed text or nothing, and one form of refusal for a bad value. */
final class ContextValues {
    private ContextValues() {
    }

    /** The context value as trimmed text; empty when absent or blank. */
    static Optional<String> text(Node node, String key) {
        Object v = node.tryGetContext(key);
        return v == null ? Optional.empty() : Optional.of(v.toString().trim()).filter(s -> !s.isEmpty());
    }

    /** Refuses the synth with {@code cdk context: <message>} unless {@code ok}. */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("cdk context: " + message);
        }
    }
}
