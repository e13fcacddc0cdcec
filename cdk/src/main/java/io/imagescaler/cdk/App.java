package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * Entry point of {@code cdk synth} / {@code cdk deploy} (see cdk.json): one {@link ImageScalerStack} in
 * us-east-1, configured from CDK context ({@link DeploymentSettings}).
 */
public final class App {
    public static final String STACK_NAME = "ImageScaler";

    private App() {
    }

    public static void main(String[] args) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App();
        build(app);
        checked(app);
        app.synth();
    }

    /**
     * cdk-nag's AwsSolutions checks over every construct: {@code cdk synth} reports each unsuppressed finding as
     * an error and fails. Every suppression in this app says why where it is made (CdkNagTest runs the same).
     */
    public static void checked(software.amazon.awscdk.App app) {
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    }

    /** Adds the stack to {@code app}; the tests call this with their own context. */
    public static ImageScalerStack build(software.amazon.awscdk.App app) {
        // server access logs are granted by the log bucket's policy, not the legacy LogDeliveryWrite ACL
        app.getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        RepoLayout repo = RepoLayout.discover();
        DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode(), repo);
        Object account = app.getNode().tryGetContext("account");
        return new ImageScalerStack(app, STACK_NAME, StackProps.builder()
                .stackName(STACK_NAME)
                .description("image-scaler: on-the-fly image resizing CDN origin")
                .env(Environment.builder()
                        .account(account != null ? account.toString() : System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region("us-east-1")
                        .build())
                .build(), settings, repo);
    }
}
