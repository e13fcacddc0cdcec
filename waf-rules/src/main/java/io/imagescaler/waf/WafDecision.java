package io.imagescaler.waf;

import java.util.List;

/**
 * The outcome for one request: the action, the rule that decided it ({@code null} when the web ACL's default
 * action applied), rules with action Count that matched on the way, and rules the local edge cannot evaluate
 * (AWS managed rule groups) — those still run on AWS.
 */
public record WafDecision(WafAction action, String terminatingRule, List<String> countedRules,
                          List<String> notEvaluatedLocally) {
    public WafDecision {
        countedRules = List.copyOf(countedRules);
        notEvaluatedLocally = List.copyOf(notEvaluatedLocally);
    }

    public boolean blocked() {
        return action == WafAction.BLOCK;
    }

    /** One line for the edge's log. */
    public String describe() {
        return action + (terminatingRule == null ? " (default action)" : " by rule " + terminatingRule)
                + (countedRules.isEmpty() ? "" : ", counted " + countedRules)
                + (notEvaluatedLocally.isEmpty() ? "" : ", not evaluated locally " + notEvaluatedLocally);
    }
}
