package io.imagescaler.handler.auth;

import java.util.Set;

/** Who is calling, from a verified token: the subject ({@code sub}, the owner of what they upload) and groups. */
public record Identity(String subject, Set<String> groups) {

    public Identity {
        groups = Set.copyOf(groups);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
