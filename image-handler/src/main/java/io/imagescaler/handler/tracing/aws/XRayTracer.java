package io.imagescaler.handler.tracing.aws;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.emitters.UDPEmitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import io.imagescaler.handler.tracing.Span;
import io.imagescaler.handler.tracing.Trace;
import io.imagescaler.handler.tracing.Tracer;
import java.net.SocketException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The tracing port on the AWS X-Ray SDK. Segments go over UDP to the daemon address in the daemon's protocol
 * (on Lambda the X-Ray daemon Lambda runs; locally the edge's collector). The recorder is built without
 * plugins, so it never asks EC2/ECS metadata, and without centralized sampling, so it never polls the daemon
 * for rules: whether a request is sampled is the caller's decision, carried in its trace header.
 *
 * <p>Inside Lambda the function's segment belongs to Lambda (a facade the SDK cannot annotate), so a request
 * becomes a subsegment named after the service, and annotations go on it. Elsewhere (the local edge runs the
 * handler in-process) each request is a segment of its own that continues the caller's trace.
 */
public final class XRayTracer implements Tracer {
    private final AWSXRayRecorder recorder;
    private final boolean insideLambda;
    private final String daemonAddress;

    XRayTracer(AWSXRayRecorder recorder, boolean insideLambda, String daemonAddress) {
        this.recorder = recorder;
        this.insideLambda = insideLambda;
        this.daemonAddress = daemonAddress;
    }

    /** @param daemonAddress host:port of the daemon (AWS_XRAY_DAEMON_ADDRESS) */
    public static XRayTracer toDaemon(String daemonAddress, boolean insideLambda) {
        DaemonConfiguration daemon = new DaemonConfiguration();
        daemon.setDaemonAddress(daemonAddress);
        try {
            AWSXRayRecorderBuilder builder = AWSXRayRecorderBuilder.standard();
            if (insideLambda) {
                // Said here, not left to the SDK's own LAMBDA_TASK_ROOT check: the configuration decides.
                SegmentContextResolverChain lambda = new SegmentContextResolverChain();
                lambda.addResolver(LambdaSegmentContext::new);
                builder.withSegmentContextResolverChain(lambda);
            }
            AWSXRayRecorder recorder = builder
                    .withEmitter(new UDPEmitter(daemon))
                    .withSamplingStrategy(new AllSamplingStrategy())
                    // SDK calls outside a request (start-up priming, provisioning) simply go untraced.
                    .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy())
                    .build();
            return new XRayTracer(recorder, insideLambda, daemon.getUDPAddress());
        } catch (SocketException e) {
            throw new IllegalStateException("no UDP socket for the X-Ray emitter", e);
        }
    }

    /** Adds an S3/DynamoDB/Rekognition/SageMaker subsegment per SDK call made inside a request. */
    public ExecutionInterceptor sdkInterceptor() {
        return new TracingInterceptor(recorder, null, null);
    }

    @Override
    public Trace begin(String name, Optional<String> upstreamHeader) {
        if (insideLambda) {
            return new XRayTrace(recorder.beginSubsegment(name));
        }
        Optional<TraceHeader> header = upstreamHeader.map(TraceHeader::fromString)
                .filter(h -> h.getRootTraceId() != null);
        Segment segment = header.isPresent()
                ? recorder.beginSegment(name, header.get().getRootTraceId(), header.get().getParentId())
                : recorder.beginSegment(name);
        header.filter(h -> h.getSampled() == TraceHeader.SampleDecision.NOT_SAMPLED)
                .ifPresent(h -> segment.setSampled(false));
        return new XRayTrace(segment);
    }

    @Override
    public String toString() {
        return "X-Ray to udp " + daemonAddress + (insideLambda ? " (subsegments of Lambda's segment)" : "");
    }

    /**
     * Ends a subsegment and makes its parent current again. The no-argument form does that; the form that
     * takes the subsegment ends it but leaves the thread's context on it (it is meant for other threads), so
     * it is only the fallback when spans were closed out of order.
     */
    private void endSubsegment(Subsegment sub) {
        if (recorder.getTraceEntity() == sub) {
            recorder.endSubsegment();
        } else {
            recorder.endSubsegment(sub);
        }
    }

    private final class XRayTrace implements Trace {
        private final Entity top;

        XRayTrace(Entity top) {
            this.top = top;
        }

        @Override
        public Span open(String stage) {
            Subsegment sub = recorder.beginSubsegment(stage);
            return new Span() {
                @Override
                public void fail(Throwable failure) {
                    sub.addException(failure);
                }

                @Override
                public void close() {
                    endSubsegment(sub);
                }
            };
        }

        @Override
        public void annotate(String key, String value) {
            top.putAnnotation(key, value);
        }

        @Override
        public void annotate(String key, boolean value) {
            top.putAnnotation(key, value);
        }

        @Override
        public Optional<String> traceId() {
            Segment segment = top instanceof Subsegment s ? s.getParentSegment() : (Segment) top;
            return Optional.ofNullable(segment).map(s -> s.getTraceId().toString());
        }

        @Override
        public void end(int status) {
            top.putHttp("response", Map.of("status", status));
            if (status == 429) {
                top.setThrottle(true);
            }
            if (status >= 500) {
                top.setFault(true);
            } else if (status >= 400) {
                top.setError(true);
            }
            if (top instanceof Subsegment sub) {
                endSubsegment(sub);
            } else {
                recorder.endSegment();
            }
        }
    }
}
