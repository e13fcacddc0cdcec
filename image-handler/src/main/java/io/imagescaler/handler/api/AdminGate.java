package io.imagescaler.handler.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check in front of admin-only endpoints (re-moderation, statistics).
 *
 * <p>TODO(issue 7): admin authentication is being built in issue 7; replace {@link #UNCHECKED_UNTIL_ISSUE_7}
 * with its check (e.g. a JWT with an admin claim). Until then these endpoints are open to anyone who can
 * reach the API, which the README says.
 */
@FunctionalInterface
public interface AdminGate {

    /** @throws io.imagescaler.handler.error.ImageScalerException.Unauthorized or Forbidden when not an admin */
    void requireAdmin(HttpRequest request);

    AdminGate UNCHECKED_UNTIL_ISSUE_7 = new AdminGate() {
        private final Logger log = LoggerFactory.getLogger(AdminGate.class);

        @Override
        public void requireAdmin(HttpRequest request) {
            log.warn("admin endpoint {} {} served WITHOUT an admin check (issue 7 pending)",
                    request.method(), request.path());
        }
    };
}
