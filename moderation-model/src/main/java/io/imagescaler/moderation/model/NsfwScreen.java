package io.imagescaler.moderation.model;

import io.imagescaler.handler.moderation.ModerationScreen;

/**
 * The Lambda pre-filter's screen (found by {@link java.util.ServiceLoader}): the model's safe probability,
 * {@code Drawing + Neutral}. The model loads on first use, so a Lambda without the pre-filter configured
 * never pays for it, and SnapStart's snapshot holds it once warmed.
 */
public final class NsfwScreen implements ModerationScreen {
    private volatile NsfwModel model;

    @Override
    public double safeProbability(byte[] image) {
        return model().classify(image).safe();
    }

    @Override
    public String modelVersion() {
        return NsfwModel.VERSION;
    }

    private NsfwModel model() {
        NsfwModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    // one thread: a Lambda instance handles one request at a time
                    m = NsfwModel.load(1);
                    model = m;
                }
            }
        }
        return m;
    }
}
