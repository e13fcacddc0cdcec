package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place an AWS SDK failure becomes the project's error: every adapter (S3 reads and writes,
 * DynamoDB, Rekognition, SageMaker, SES, SSM, Secrets Manager, CloudFront) is wrapped by
 * {@link #guarded} where it is wired, so whatever {@link SdkException} escapes it (a service error, a
 * refused connection, a timeout, retries exhausted) reaches the client as 503 {@code upstream-failure}
 * with {@code Retry-After}, never as a 500. Adapters still catch the exceptions that are answers, not
 * failures ({@code ConditionalCheckFailedException}, {@code NoSuchKeyException}), inside themselves.
 */
public final class AwsFailures {

    private AwsFailures() {
    }

    /** The project's error for an SDK failure of {@code dependency} (e.g. "the image records (DynamoDB)"). */
    public static UpstreamFailure upstream(String dependency, SdkException e) {
        return new UpstreamFailure(dependency + " failed (" + describe(e) + "); try again", e);
    }

    /** Runs one SDK call, translating its failure. */
    public static <T> T call(String dependency, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw upstream(dependency, e);
        }
    }

    /**
     * The adapter behind its port, with every method's SDK failure translated. The proxy adds nothing
     * else: results, the project's own errors and other exceptions pass through unchanged.
     */
    public static <P> P guarded(Class<P> port, String dependency, P adapter) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "guarded(" + adapter + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.invoke(adapter, args);
                };
            }
            try {
                return method.invoke(adapter, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SdkException sdk) {
                    throw upstream(dependency, sdk);
                }
                throw cause;
            }
        };
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, handler));
    }

    /** Whether a failure (or one of its causes) came from the AWS SDK. */
    public static boolean fromSdk(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SdkException) {
                return true;
            }
        }
        return false;
    }

    /** The error code and status for a service error; the exception's kind for a client-side one. */
    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            return (code == null ? "error" : code) + ", HTTP " + s.statusCode();
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        // Client-side messages name the endpoint and the cause; keep the first sentence, without newlines.
        int cut = message.indexOf('\n');
        message = cut < 0 ? message : message.substring(0, cut);
        return message.length() > 160 ? message.substring(0, 160) + "…" : message;
    }
}
