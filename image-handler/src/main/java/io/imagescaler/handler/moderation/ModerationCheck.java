package io.imagescaler.handler.moderation;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Moderates an original: hands the model the bytes themselves when it can take them (JPEG or PNG, at
 * most 5 MB), else a downscaled JPEG copy made by the engine, then lets the policy decide.
 */
public final class ModerationCheck {
    /** The copy the model sees when the original is too large or in a format it does not read. */
    public static final TransformSpec MODEL_COPY = TransformSpec.parse("w_1600,h_1600");

    private final Optional<Moderator> moderator;
    private final ModerationPolicy policy;
    private final TransformEngine engine;
    private final Clock clock;

    /** @param moderator empty when moderation is switched off by configuration (every verdict is ALLOW) */
    public ModerationCheck(Optional<Moderator> moderator, ModerationPolicy policy, TransformEngine engine, Clock clock) {
        this.moderator = moderator;
        this.policy = policy;
        this.engine = engine;
        this.clock = clock;
    }

    public ModerationVerdict check(byte[] original, SourceInfo info, Limits limits) {
        return judge(() -> imageForModel(original, info, limits));
    }

    /**
     * Moderates a copy the caller already rendered with {@link #MODEL_COPY} (a large upload renders it
     * once from its file: that one decode also proves the pixels readable and feeds the blurred master).
     */
    public ModerationVerdict checkCopy(byte[] modelCopy) {
        return judge(() -> modelCopy);
    }

    private ModerationVerdict judge(java.util.function.Supplier<byte[]> image) {
        if (moderator.isEmpty()) {
            return new ModerationVerdict(ModerationVerdict.Action.ALLOW, List.of(), "none",
                    "moderation is switched off in this deployment", clock.instant());
        }
        Detected detected = moderator.get().detect(image.get(), policy.minConfidence());
        return policy.judge(detected, clock.instant());
    }

    byte[] imageForModel(byte[] original, SourceInfo info, Limits limits) {
        if (asIs(info, original.length)) {
            return original;
        }
        return engine.render(original, info, MODEL_COPY, ImageFormat.JPG, limits).bytes();
    }

    /** Whether the model can take the original itself. */
    private static boolean asIs(SourceInfo info, long bytes) {
        boolean readable = info.format() == SourceFormat.JPEG || info.format() == SourceFormat.PNG;
        return readable && bytes <= Moderator.MAX_IMAGE_BYTES && info.orientation() <= 1;
    }
}
