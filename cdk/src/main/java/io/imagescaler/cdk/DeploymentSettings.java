package io.imagescaler.cdk;

import static io.imagescaler.cdk.ContextValues.require;
import static io.imagescaler.cdk.ContextValues.text;

import java.nio.file.Path;
import java.util.Optional;
import software.constructs.Node;

/**
 * Every synth-time choice of a deployment, read once from CDK context ({@code -c key=value} or cdk.json)
 * and validated. Memory and timeout are context values rather than CloudFormation parameters on purpose:
 * a SnapStart version is published only when the function's synthesized configuration changes, so a
 * parameter change would leave the alias on a version with the old memory size.
 *
 * @param handlerAsset        the Lambda code: the shaded jar, or a directory
 * @param wafRulesDir         directory holding {@code regional-acl.json} and {@code cloudfront-acl.json}
 * @param handlerMemoryMb     Lambda memory; CPU scales with it (1769 MB = one vCPU)
 * @param handlerTimeoutSeconds at most 29: API Gateway's integration timeout caps what a viewer can wait
 * @param generatedExpiryDays lifecycle expiry of generated variants
 * @param superResolution     deploy the SageMaker SR endpoint (needs a GPU instance quota)
 * @param signerPublicKeyPem  a PEM file for the trusted key group; empty = CloudFormation parameter
 * @param retainData          keep buckets, table and user pool when the stack is deleted
 * @param mailFrom            a verified SES identity (address) that upload notifications are sent from;
 *                            empty = email notification refused (webhooks still work)
 * @param domainName          the distribution's own host name (e.g. {@code images.example.com}); with it,
 *                            viewers need TLS 1.2 or later (TLSv1.2_2021), which CloudFront allows only with a
 *                            custom certificate; empty = the default *.cloudfront.net name, whose minimum is TLSv1
 * @param certificateArn      an ACM certificate in us-east-1 covering {@code domainName}; set both or neither
 * @param architecture        {@code x86_64} (default) or {@code arm64} (Graviton): the jar carries libvips for both
 * @param webpEffort          the functions' {@code WEBP_EFFORT} (0–6); empty = the handler's default (4, sharp's)
 * @param avifEffort          the functions' {@code AVIF_EFFORT} (0–9); empty = the handler's default (4, sharp's);
 *                            3 renders AVIF about 3x faster for 2–3% more bytes (README, Benchmarks)
 */
public record DeploymentSettings(
        Path handlerAsset,
        Path wafRulesDir,
        int handlerMemoryMb,
        int handlerTimeoutSeconds,
        int generatedExpiryDays,
        boolean superResolution,
        String srInstanceType,
        String srImageUri,
        String srModelDataUrl,
        int srMaxInstances,
        Optional<Path> signerPublicKeyPem,
        Optional<String> alarmEmail,
        String tableName,
        boolean retainData,
        Optional<String> mailFrom,
        Optional<String> domainName,
        Optional<String> certificateArn,
        String architecture,
        Optional<Integer> webpEffort,
        Optional<Integer> avifEffort) {

    public DeploymentSettings {
        require(handlerMemoryMb >= 512 && handlerMemoryMb <= 10240, "handlerMemoryMb must be 512..10240");
        require(handlerTimeoutSeconds >= 3 && handlerTimeoutSeconds <= 29,
                "handlerTimeoutSeconds must be 3..29 (API Gateway's integration timeout is 29 s)");
        require(generatedExpiryDays >= 1, "generatedExpiryDays must be at least 1");
        require(srMaxInstances >= 1, "srMaxInstances must be at least 1");
        require(!tableName.isBlank(), "tableName must be set");
        require(mailFrom.map(m -> m.matches("[^@\\s]+@[^@\\s]+")).orElse(true), "mailFrom must be an address");
        require(domainName.isPresent() == certificateArn.isPresent(),
                "domainName and certificateArn go together (CloudFront needs the certificate for the name)");
        require(certificateArn.map(a -> a.startsWith("arn:") && a.contains(":acm:us-east-1:")).orElse(true),
                "certificateArn must be an ACM certificate in us-east-1 (CloudFront reads certificates only there)");
        require(architecture.equals("x86_64") || architecture.equals("arm64"), "arch must be x86_64 or arm64");
        require(webpEffort.map(e -> e >= 0 && e <= 6).orElse(true), "webpEffort must be 0..6");
        require(avifEffort.map(e -> e >= 0 && e <= 9).orElse(true), "avifEffort must be 0..9");
    }

    /** Reads the settings from the app's context; defaults are those the README documents. */
    public static DeploymentSettings fromContext(Node node, RepoLayout repo) {
        return new DeploymentSettings(
                text(node, "handlerAsset").map(Path::of).orElse(repo.handlerJar()),
                text(node, "wafRulesDir").map(Path::of).orElse(repo.wafRulesDir()),
                // one vCPU: a render runs on one libvips thread (a second one bought nothing, see cdk/README.md)
                text(node, "handlerMemoryMb").map(Integer::parseInt).orElse(1769),
                text(node, "handlerTimeoutSeconds").map(Integer::parseInt).orElse(29),
                text(node, "generatedExpiryDays").map(Integer::parseInt).orElse(7),
                text(node, "sr").map(Boolean::parseBoolean).orElse(false),
                text(node, "srInstanceType").orElse("ml.g5.xlarge"),
                // the sr-endpoint container pushed to this account's ECR (see the README)
                text(node, "srImageUri").orElse("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/image-scaler-sr:latest"),
                text(node, "srModelDataUrl").orElse(""),
                text(node, "srMaxInstances").map(Integer::parseInt).orElse(2),
                text(node, "signerPublicKeyFile").map(Path::of),
                text(node, "alarmEmail"),
                text(node, "tableName").orElse("image-records"),
                text(node, "retainData").map(Boolean::parseBoolean).orElse(true),
                text(node, "mailFrom"),
                text(node, "domainName"),
                text(node, "certificateArn"),
                // x86_64 stays the default until arm64 has run somewhere real (both natives are in the jar)
                text(node, "arch").orElse("x86_64"),
                text(node, "webpEffort").map(Integer::parseInt),
                text(node, "avifEffort").map(Integer::parseInt));
    }

    /** The functions' instruction set. */
    public software.amazon.awscdk.services.lambda.Architecture lambdaArchitecture() {
        return architecture.equals("arm64") ? software.amazon.awscdk.services.lambda.Architecture.ARM_64
                : software.amazon.awscdk.services.lambda.Architecture.X86_64;
    }


}
