package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.BasicTargetTrackingScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.PredefinedMetric;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTargetProps;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sagemaker.CfnEndpoint;
import software.amazon.awscdk.services.sagemaker.CfnEndpointConfig;
import software.amazon.awscdk.services.sagemaker.CfnEndpointConfigProps;
import software.amazon.awscdk.services.sagemaker.CfnEndpointProps;
import software.amazon.awscdk.services.sagemaker.CfnModel;
import software.amazon.awscdk.services.sagemaker.CfnModelProps;
import software.constructs.Construct;

/**
 * The super-resolution endpoint: the {@code sr-endpoint} container (SageMaker's {@code /ping} +
 * {@code /invocations} contract) on a GPU instance, scaled on invocations per instance. Deployed only with
 * {@code -c sr=true}; without it the handler falls back to Lanczos for {@code up_sr}.
 */
public final class SuperResolution extends Construct {
    public static final String VARIANT = "AllTraffic";

    private final CfnEndpoint endpoint;
    private final String endpointName;

    public SuperResolution(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        endpointName = Stack.of(this).getStackName() + "-sr";

        Role execution = new Role(this, "ExecutionRole", RoleProps.builder()
                .assumedBy(new ServicePrincipal("sagemaker.amazonaws.com"))
                .build());
        // pull the container image from this account's ECR and write logs/metrics; nothing else
        execution.addToPolicy(Allow.statement(
                List.of("ecr:GetAuthorizationToken"), List.of("*")));
        execution.addToPolicy(Allow.statement(
                List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"),
                List.of(Fn.sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/"
                        + ecrRepository(settings.srImageUri())))));
        // SageMaker writes an endpoint's logs to /aws/sagemaker/Endpoints/{name}; ":*" is that group's streams
        String endpointLogs = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/Endpoints/"
                + endpointName;
        execution.addToPolicy(Allow.statement(
                List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(Fn.sub(endpointLogs), Fn.sub(endpointLogs + ":*"))));
        execution.addToPolicy(Allow.statement(List.of("cloudwatch:PutMetricData"), List.of("*")));
        NagSuppressions.addResourceSuppressions(execution, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*",
                        "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/Endpoints/"
                                + endpointName + ":*",
                        "Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*"))
                .reason("'*' only where the action has no resource-level permissions (ecr:GetAuthorizationToken,"
                        + " cloudwatch:PutMetricData); ':*' is the log streams of the endpoint's own log group; the"
                        + " repository is named when srImageUri is an ECR image of this account (the default), '*'"
                        + " only for an image URI from elsewhere").build()), true);

        CfnModel.ContainerDefinitionProperty.Builder container = CfnModel.ContainerDefinitionProperty.builder()
                .image(Fn.sub(settings.srImageUri()))
                // the image's ONNX Runtime CUDA provider, fp16 graphs (sr-endpoint/README.md "GPU"); without a
                // usable GPU the container serves on CPU and says so in /ping and its metrics
                .environment(Map.of("SR_DEVICE", "gpu", "SR_PRECISION", "fp16"));
        if (!settings.srModelDataUrl().isBlank()) {
            container.modelDataUrl(settings.srModelDataUrl());
            execution.addToPolicy(Allow.statement(List.of("s3:GetObject"),
                    List.of(Fn.sub("arn:${AWS::Partition}:s3:::" + settings.srModelDataUrl().replaceFirst("^s3://", "")))));
        }
        CfnModel model = new CfnModel(this, "Model", CfnModelProps.builder()
                .executionRoleArn(execution.getRoleArn())
                .primaryContainer(container.build())
                .build());
        CfnEndpointConfig config = new CfnEndpointConfig(this, "Config", CfnEndpointConfigProps.builder()
                .productionVariants(List.of(CfnEndpointConfig.ProductionVariantProperty.builder()
                        .variantName(VARIANT)
                        .modelName(model.getAttrModelName())
                        .instanceType(settings.srInstanceType())
                        .initialInstanceCount(1)
                        .initialVariantWeight(1)
                        .containerStartupHealthCheckTimeoutInSeconds(600)
                        .build()))
                .build());
        endpoint = new CfnEndpoint(this, "Endpoint", CfnEndpointProps.builder()
                .endpointName(endpointName)
                .endpointConfigName(config.getAttrEndpointConfigName())
                .build());

        ScalableTarget target = new ScalableTarget(this, "Scaling", ScalableTargetProps.builder()
                .serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId("endpoint/" + endpointName + "/variant/" + VARIANT)
                .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                .minCapacity(1)
                .maxCapacity(settings.srMaxInstances())
                .build());
        target.getNode().addDependency(endpoint);
        // an SR call takes ~1 s on a g5; 60 invocations a minute keeps one GPU busy without queueing
        target.scaleToTrackMetric("InvocationsPerInstance", BasicTargetTrackingScalingPolicyProps.builder()
                .predefinedMetric(PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE)
                .targetValue(60)
                .scaleOutCooldown(Duration.minutes(2))
                .scaleInCooldown(Duration.minutes(10))
                .build());
    }

    /** The repository of an ECR image URI ({@code ...dkr.ecr...amazonaws.com/NAME:tag}), else '*'. */
    static String ecrRepository(String imageUri) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^[^/]+\\.dkr\\.ecr\\.[^/]+\\.amazonaws\\.com/([a-z0-9._/-]+)(?::[^/@]+|@sha256:[0-9a-f]+)?$")
                .matcher(imageUri);
        return m.matches() ? m.group(1) : "*";
    }

    public String endpointName() {
        return endpointName;
    }

    public String endpointArn() {
        return Fn.sub("arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/" + endpointName.toLowerCase());
    }

    public CfnEndpoint endpoint() {
        return endpoint;
    }
}
