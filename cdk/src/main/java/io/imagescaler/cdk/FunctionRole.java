package io.imagescaler.cdk;

import java.util.List;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.constructs.Construct;

/**
 * The execution role of one of this app's Lambda functions: it may write to its own log group and nothing else
 * until the function's grants add to it. Used instead of the role CDK would make with the AWS managed
 * {@code AWSLambdaBasicExecutionRole}, whose log permissions name every log group of the account.
 */
final class FunctionRole {
    private FunctionRole() {
    }

    static Role writingTo(Construct scope, String id, ILogGroup logs, String description) {
        Role role = new Role(scope, id, RoleProps.builder()
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(description)
                .build());
        // the log group's ARN attribute ends in ":*", which covers its log streams
        role.addToPolicy(Allow.statement(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(logs.getLogGroupArn())));
        return role;
    }
}
