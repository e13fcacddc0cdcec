package io.imagescaler.handler.tracing;

import java.util.Optional;

/** The adapter when tracing is off: every call does nothing, so the core never checks whether it traces. */
public final class NoTracing implements Tracer {
    static final Span SPAN = new Span() {
        @Override
        public void fail(Throwable failure) {
        }

        @Override
        public void close() {
        }
    };
    static final Trace TRACE = new Trace() {
        @Override
        public Span open(String stage) {
            return SPAN;
        }

        @Override
        public void annotate(String key, String value) {
        }

        @Override
        public void annotate(String key, boolean value) {
        }

        @Override
        public Optional<String> traceId() {
            return Optional.empty();
        }

        @Override
        public void end(int status) {
        }
    };

    @Override
    public Trace begin(String name, Optional<String> upstreamHeader) {
        return TRACE;
    }

    @Override
    public String toString() {
        return "off";
    }
}
