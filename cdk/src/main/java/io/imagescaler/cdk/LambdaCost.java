package io.imagescaler.cdk;

/**
 * The arithmetic behind the README's Lambda cost lines (issue 14, item 4): what a million variants cost at a memory
 * size, from a measured CPU time per variant. Lambda gives a function CPU in proportion to memory, one full vCPU at
 * {@link #ONE_VCPU_MB}; a render on one thread cannot use more than one, so above that memory only the price grows.
 * Prices are us-east-1 x86 list prices, as the README's cost section states them.
 */
public final class LambdaCost {
    /** Memory at which a function gets one full vCPU (AWS Lambda documentation). */
    public static final int ONE_VCPU_MB = 1769;
    public static final double DOLLARS_PER_GB_SECOND = 0.0000166667;
    public static final double DOLLARS_PER_MILLION_REQUESTS = 0.20;

    private LambdaCost() {
    }

    /**
     * Wall time of a single-threaded render that takes {@code cpuMs} of CPU on a full vCPU: stretched below
     * {@link #ONE_VCPU_MB}, unchanged above (the second vCPU sits idle).
     */
    public static double singleThreadedMs(double cpuMs, int memoryMb) {
        return memoryMb >= ONE_VCPU_MB ? cpuMs : cpuMs * ONE_VCPU_MB / memoryMb;
    }

    /** GB-seconds billed for a million invocations of {@code billedMs} each (Lambda bills whole milliseconds). */
    public static double gbSecondsPerMillion(int memoryMb, double billedMs) {
        return memoryMb / 1024.0 * Math.ceil(billedMs) / 1000.0 * 1_000_000;
    }

    /** Compute plus request charges for a million invocations. */
    public static double dollarsPerMillion(int memoryMb, double billedMs) {
        return gbSecondsPerMillion(memoryMb, billedMs) * DOLLARS_PER_GB_SECOND + DOLLARS_PER_MILLION_REQUESTS;
    }
}
