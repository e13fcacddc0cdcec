package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LambdaCostTest {
    @Test
    void aMillionOneSecondInvocationsAt1024MbAre1000000GbSeconds() {
        assertEquals(1_000_000, LambdaCost.gbSecondsPerMillion(1024, 1000), 1e-6);
        assertEquals(16.8667, LambdaCost.dollarsPerMillion(1024, 1000), 1e-3);
        // billed in whole milliseconds
        assertEquals(LambdaCost.gbSecondsPerMillion(1024, 101), LambdaCost.gbSecondsPerMillion(1024, 100.2), 1e-6);
    }

    @Test
    void aSingleThreadedRenderGainsNothingAboveOneVcpu() {
        double cpuMs = 200;
        assertEquals(200, LambdaCost.singleThreadedMs(cpuMs, 1769), 1e-9);
        assertEquals(200, LambdaCost.singleThreadedMs(cpuMs, 3008), 1e-9);
        assertEquals(200 * 1769 / 1024.0, LambdaCost.singleThreadedMs(cpuMs, 1024), 1e-9);
        // same work, so 3008 MB costs 3008/1769 of 1769 MB
        assertEquals(3008.0 / 1769, LambdaCost.gbSecondsPerMillion(3008, 200) / LambdaCost.gbSecondsPerMillion(1769, 200), 1e-9);
        // below one vCPU the GB-seconds stay the same (memory down, time up in proportion), up to rounding
        assertEquals(LambdaCost.gbSecondsPerMillion(1769, 200),
                LambdaCost.gbSecondsPerMillion(1024, LambdaCost.singleThreadedMs(cpuMs, 1024)), 1_000);
    }
}
