package io.imagescaler.handler.transform;

import java.awt.color.ICC_Profile;
import java.nio.charset.StandardCharsets;

/** Whether an embedded ICC profile is (a copy of) sRGB, so converting through it can be skipped. */
public final class SrgbProfile {

    private SrgbProfile() {
    }

    /**
     * sRGB profiles name themselves so in their description (ASCII in v2 'desc', UTF-16 in v4 'mluc').
     * A damaged profile counts as sRGB: the pixels are then taken as they are.
     */
    public static boolean describes(byte[] icc) {
        try {
            byte[] desc = ICC_Profile.getInstance(icc).getData(ICC_Profile.icSigProfileDescriptionTag);
            if (desc == null) {
                return false;
            }
            return new String(desc, StandardCharsets.ISO_8859_1).contains("sRGB")
                    || new String(desc, StandardCharsets.UTF_16BE).contains("sRGB");
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
