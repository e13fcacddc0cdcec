package io.imagescaler.cdk;

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
        app.synth();
    }

    /** Adds the stack to {@code app}; the tests call this with their own context. */
    public static ImageScalerStack build(software.amazon.awscdk.App app) {
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
