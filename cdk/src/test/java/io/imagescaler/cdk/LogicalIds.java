package io.imagescaler.cdk;

import software.amazon.awscdk.CfnElement;
import software.constructs.IConstruct;

/** Logical ids of L2 constructs in a synthesized stack (their default CloudFormation child). */
final class LogicalIds {
    private LogicalIds() {
    }

    static String logicalId(Synthesized synth, IConstruct construct) {
        var child = construct.getNode().getDefaultChild();
        return synth.stack().getLogicalId((CfnElement) (child != null ? child : construct));
    }
}
