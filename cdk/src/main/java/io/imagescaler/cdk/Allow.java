package io.imagescaler.cdk;

import java.util.List;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;

/** An IAM allow statement naming its actions and resources explicitly (every grant in this app is one). */
final class Allow {
    private Allow() {
    }

    static PolicyStatement statement(List<String> actions, List<String> resources) {
        return new PolicyStatement(PolicyStatementProps.builder()
                .effect(Effect.ALLOW).actions(actions).resources(resources).build());
    }
}
