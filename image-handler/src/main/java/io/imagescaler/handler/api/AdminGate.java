package io.imagescaler.handler.api;

/**
 * The check in front of admin-only endpoints (re-moderation, statistics): the Guard's admin-group check
 * from issue 7 ({@code guard::requireAdmin}), kept behind this small interface so the admin routes do not
 * depend on how identities are verified.
 */
@FunctionalInterface
public interface AdminGate {

    /** @throws io.imagescaler.handler.error.ImageScalerException.Unauthorized or Forbidden when not an admin */
    void requireAdmin(HttpRequest request);
}
