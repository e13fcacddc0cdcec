package io.imagescaler.waf;

/** The rule actions the local edge can carry out. CAPTCHA and CHALLENGE need a browser round trip and are refused at load. */
public enum WafAction {
    ALLOW, BLOCK, COUNT
}
