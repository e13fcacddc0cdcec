package io.imagescaler.waf;

import java.util.Locale;

/** WAF text transformations the local evaluator applies; rule files using any other are refused at load. */
enum TextTransformation {
    NONE, LOWERCASE;

    String apply(String text) {
        return this == LOWERCASE ? text.toLowerCase(Locale.ROOT) : text;
    }
}
