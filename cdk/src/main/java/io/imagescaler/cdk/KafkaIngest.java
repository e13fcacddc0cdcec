package io.imagescaler.cdk;

import static io.imagescaler.cdk.ContextValues.require;
import static io.imagescaler.cdk.ContextValues.text;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.IEventSource;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.eventsources.AuthenticationMethod;
import software.amazon.awscdk.services.lambda.eventsources.ManagedKafkaEventSource;
import software.amazon.awscdk.services.lambda.eventsources.ManagedKafkaEventSourceProps;
import software.amazon.awscdk.services.lambda.eventsources.SelfManagedKafkaEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SelfManagedKafkaEventSourceProps;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * Kafka as a second way in (issue 15): a Lambda event source on the topic {@value #TOPIC} feeds
 * {@link #HANDLER}, which runs the same intake as {@code POST /v1/images} and writes a message with the reason to
 * {@value #FAILURE_TOPIC} for each record it refuses. Deployed only with the context flag {@code kafka}:
 * {@code msk:<clusterArn>} for Amazon MSK, {@code self:<host:port,...>} (plus {@code kafkaSecretArn}) for a
 * self-managed cluster ({@code kafkaAuth} picks SASL/SCRAM-512, -256, basic or mTLS), optionally with the function
 * placed next to the brokers ({@link Network}). A batch the function keeps failing on (it throws only when a dependency failed) is recorded
 * in the SQS queue {@value #FAILED_BATCHES_QUEUE} (Lambda's on-failure destination for Kafka event sources:
 * topic, partition and offsets, not the payload), so the partition moves on.
 */
public final class KafkaIngest extends Construct {
    public static final String HANDLER = "io.imagescaler.handler.lambda.KafkaIngestHandler::handleRequest";
    public static final String TOPIC = "image-uploads";
    public static final String FAILURE_TOPIC = "image-uploads-failed";
    public static final String FAILED_BATCHES_QUEUE = "image-scaler-kafka-failed-batches";
    /** Records per invocation: each may be a 1 MiB image or a 5 MiB fetch, moderated one after the other. */
    public static final int BATCH_SIZE = 10;
    public static final int TIMEOUT_SECONDS = 300;
    /** The event source's consumer group: fixed, so MSK IAM grants can name it and operators can find its lag. */
    public static final String CONSUMER_GROUP = "image-scaler-kafka-ingest";

    /** Where the records come from. */
    public sealed interface Source permits Msk, SelfManaged {
    }

    /**
     * An Amazon MSK cluster.
     *
     * @param clusterArn the cluster
     * @param secretArn  a SASL/SCRAM secret ({@code kafkaSecretArn}); empty = IAM access control
     */
    public record Msk(String clusterArn, Optional<String> secretArn) implements Source {
        /** The ARN of a topic or consumer group of this cluster ({@code kind} = {@code topic} or {@code group}). */
        String resource(String kind, String name) {
            return clusterArn.replaceFirst(":cluster/", ":" + kind + "/") + "/" + name;
        }
    }

    /**
     * A self-managed cluster.
     *
     * @param bootstrapServers {@code host:port} of the brokers
     * @param secretArn        complete ARN of the secret the event source authenticates with
     * @param authentication   how that secret is used ({@code kafkaAuth}, default SASL/SCRAM-512)
     */
    public record SelfManaged(List<String> bootstrapServers, String secretArn, AuthenticationMethod authentication)
            implements Source {
    }

    /**
     * Where the function runs when it must reach brokers that are not public ({@code kafkaVpcId},
     * {@code kafkaSubnetIds}, {@code kafkaSecurityGroupIds}, all three or none): its producer writes the failure topic
     * itself, so it needs the network path the event source's pollers have.
     */
    public record Network(String vpcId, List<String> subnetIds, List<String> securityGroupIds) {
        static Optional<Network> fromContext(Node node) {
            Optional<String> vpc = text(node, "kafkaVpcId");
            List<String> subnets = list(node, "kafkaSubnetIds");
            List<String> groups = list(node, "kafkaSecurityGroupIds");
            if (vpc.isEmpty() && subnets.isEmpty() && groups.isEmpty()) {
                return Optional.empty();
            }
            require(vpc.isPresent() && !subnets.isEmpty() && !groups.isEmpty(),
                    "kafkaVpcId, kafkaSubnetIds and kafkaSecurityGroupIds go together (the function's place next to the brokers)");
            String hex = "-([0-9a-f]{8}|[0-9a-f]{17})";
            require(vpc.get().matches("vpc" + hex) && subnets.stream().allMatch(x -> x.matches("subnet" + hex))
                    && groups.stream().allMatch(x -> x.matches("sg" + hex)), "kafkaVpcId must be vpc-<hex>, kafkaSubnetIds"
                    + " subnet-<hex>,..., kafkaSecurityGroupIds sg-<hex>,... (EC2 ids), got " + vpc.get() + " " + subnets
                    + " " + groups);
            return Optional.of(new Network(vpc.get(), subnets, groups));
        }

        private static List<String> list(Node node, String key) {
            return text(node, key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                    .orElse(List.of());
        }
    }

    /** The {@code kafka} context flag, validated; empty when it is absent. */
    public static Optional<Source> fromContext(Node node) {
        Optional<String> flag = text(node, "kafka");
        if (flag.isEmpty()) {
            return Optional.empty();
        }
        String value = flag.get();
        if (value.startsWith("msk:")) {
            String arn = value.substring("msk:".length());
            require(arn.startsWith("arn:") && arn.contains(":kafka:") && arn.contains(":cluster/"),
                    "kafka=msk:<clusterArn> needs an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID), got '"
                            + arn + "'");
            Optional<String> secret = text(node, "kafkaSecretArn");
            secret.ifPresent(KafkaIngest::requireSecretArn);
            return Optional.of(new Msk(arn, secret));
        }
        if (value.startsWith("self:")) {
            List<String> servers = Arrays.stream(value.substring("self:".length()).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            require(!servers.isEmpty() && servers.stream().allMatch(s -> s.matches("[A-Za-z0-9._-]+:\\d{1,5}")),
                    "kafka=self:<host:port,...> needs a comma-separated list of brokers, got '" + value + "'");
            String secret = text(node, "kafkaSecretArn").orElseThrow(() -> new IllegalArgumentException(
                    "cdk context: kafka=self:... needs kafkaSecretArn, the complete ARN of the Secrets Manager secret the"
                            + " event source authenticates to the brokers with (SASL/SCRAM username and password, or an"
                            + " mTLS client certificate with kafkaAuth=CLIENT_CERTIFICATE_TLS_AUTH)"));
            requireSecretArn(secret);
            String auth = text(node, "kafkaAuth").orElse("SASL_SCRAM_512_AUTH");
            AuthenticationMethod method = Arrays.stream(AuthenticationMethod.values())
                    .filter(m -> m.name().equals(auth)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("cdk context: kafkaAuth must be one of "
                            + Arrays.toString(AuthenticationMethod.values()) + ", got '" + auth + "'"));
            return Optional.of(new SelfManaged(servers, secret, method));
        }
        throw new IllegalArgumentException("cdk context: kafka must be msk:<clusterArn> or self:<host:port,...>, got '"
                + value + "'");
    }

    private static void requireSecretArn(String secret) {
        require(secret.startsWith("arn:") && secret.contains(":secretsmanager:") && secret.contains(":secret:"),
                "kafkaSecretArn must be the complete ARN of a Secrets Manager secret, got '" + secret + "'");
    }

    private final Function function;
    private final Queue failedBatches;

    public KafkaIngest(Construct scope, String id, DeploymentSettings settings, Source source, Optional<Network> network,
                       Storage storage, ImageApi api, ServiceEvents events) {
        super(scope, id);
        Map<String, String> env = new LinkedHashMap<>(api.environment());
        // MSK: unset, the handler takes the event's bootstrapServers (the brokers the event source read from)
        if (source instanceof SelfManaged self) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", String.join(",", self.bootstrapServers()));
        }
        env.put("KAFKA_FAILURE_TOPIC", FAILURE_TOPIC);

        LogGroup logs = new LogGroup(this, "IngestLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH).build());
        FunctionProps.Builder props = FunctionProps.builder()
                .description("image-scaler: uploads published to Kafka (" + TOPIC + "), through the same intake as POST /v1/images")
                .runtime(Runtime.JAVA_25)
                .architecture(settings.lambdaArchitecture())
                .handler(HANDLER)
                .code(Code.fromAsset(settings.handlerAsset().toString()))
                .memorySize(settings.handlerMemoryMb())
                .timeout(Duration.seconds(TIMEOUT_SECONDS))
                .tracing(Tracing.ACTIVE)
                .environment(env)
                .logGroup(logs)
                .role(FunctionRole.writingTo(this, "IngestRole", logs, "image-scaler Kafka ingest: its own logs plus the grants below"));
        Optional<Placement> placement = network.map(this::place);
        placement.ifPresent(p -> props.vpc(p.vpc()).vpcSubnets(p.subnets()).securityGroups(p.groups()));
        function = new Function(this, "Ingest", props.build());

        failedBatches = new Queue(this, "FailedBatches", QueueProps.builder()
                .queueName(FAILED_BATCHES_QUEUE)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build());
        NagSuppressions.addResourceSuppressions(failedBatches, List.of(NagPackSuppression.builder().id("AwsSolutions-SQS3")
                .reason("this queue is itself the dead-letter destination: the Kafka event source's on-failure"
                        + " destination, holding the topic/partition/offsets of batches the function kept failing on")
                .build()));
        function.addEventSource(eventSource(source, placement));
        grantLeastPrivilege(settings, storage, api);
        events.publishFrom(function);
        if (source instanceof Msk msk && msk.secretArn().isEmpty()) {
            grantMskIamAccess(msk);
        }
        suppressAwsManagedPolicies(source, network);
    }

    /**
     * MSK with IAM access control: the event source mapping reads as the function's role (connect, describe and
     * read the topic, join its consumer group), and the function's producer writes the failure topic.
     */
    private void grantMskIamAccess(Msk msk) {
        function.addToRolePolicy(Allow.statement(List.of("kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"),
                List.of(msk.clusterArn())));
        function.addToRolePolicy(Allow.statement(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
                List.of(msk.resource("topic", TOPIC))));
        function.addToRolePolicy(Allow.statement(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"),
                List.of(msk.resource("topic", FAILURE_TOPIC))));
        function.addToRolePolicy(Allow.statement(List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"),
                List.of(msk.resource("group", CONSUMER_GROUP))));
    }

    /** The managed policies CDK attaches for an MSK event source and for a function in a VPC, and why they stay. */
    private void suppressAwsManagedPolicies(Source source, Optional<Network> network) {
        List<String> policies = new java.util.ArrayList<>();
        if (source instanceof Msk) {
            policies.add("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole");
        }
        if (network.isPresent()) {
            policies.add("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
        }
        if (policies.isEmpty()) {
            return;
        }
        NagSuppressions.addResourceSuppressions(function.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM4")
                .appliesTo(policies)
                .reason("attached by CDK for what Lambda itself does with this role: the MSK event source's pollers"
                        + " describe the cluster and create network interfaces in its VPC, a function in a VPC gets its"
                        + " interfaces; the EC2 network-interface actions have no resource-level scoping that names"
                        + " interfaces before they exist, and the policies are AWS's documented minimum for both")
                .build()), true);
    }

    /** The imported VPC, subnets and security groups of a {@link Network}. */
    private record Placement(IVpc vpc, SubnetSelection subnets, List<ISecurityGroup> groups) {
    }

    private Placement place(Network n) {
        // only the subnets named in the context are used, never the VPC's subnet list or a subnet's route table
        IVpc vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder()
                .vpcId(n.vpcId()).availabilityZones(Fn.getAzs()).build());
        Annotations.of(vpc).acknowledgeWarning("@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones",
                "the function and the event source name their subnets explicitly (kafkaSubnetIds)");
        List<ISubnet> subnets = n.subnetIds().stream().map(id -> {
            ISubnet subnet = Subnet.fromSubnetId(this, "Subnet-" + id, id);
            Annotations.of(subnet).acknowledgeWarning("@aws-cdk/aws-ec2:noSubnetRouteTableId",
                    "nothing here reads the subnet's route table; Lambda only places network interfaces in it");
            return subnet;
        }).toList();
        return new Placement(vpc, SubnetSelection.builder().subnets(subnets).build(),
                n.securityGroupIds().stream()
                        .map(group -> SecurityGroup.fromSecurityGroupId(this, "Group-" + group, group)).toList());
    }

    private IEventSource eventSource(Source source, Optional<Placement> placement) {
        SqsDlq onFailure = new SqsDlq(failedBatches);
        return switch (source) {
            case Msk msk -> {
                ManagedKafkaEventSourceProps.Builder props = ManagedKafkaEventSourceProps.builder()
                        .clusterArn(msk.clusterArn())
                        .topic(TOPIC)
                        .consumerGroupId(CONSUMER_GROUP)
                        .startingPosition(StartingPosition.LATEST)
                        .batchSize(BATCH_SIZE)
                        .onFailure(onFailure);
                msk.secretArn().ifPresent(arn -> props.secret(Secret.fromSecretCompleteArn(this, "BrokerSecret", arn)));
                yield new ManagedKafkaEventSource(props.build());
            }
            case SelfManaged self -> {
                ISecret secret = Secret.fromSecretCompleteArn(this, "BrokerSecret", self.secretArn());
                SelfManagedKafkaEventSourceProps.Builder props = SelfManagedKafkaEventSourceProps.builder()
                        .bootstrapServers(self.bootstrapServers())
                        .topic(TOPIC)
                        .consumerGroupId(CONSUMER_GROUP)
                        .secret(secret)
                        .authenticationMethod(self.authentication())
                        .startingPosition(StartingPosition.LATEST)
                        .batchSize(BATCH_SIZE)
                        .onFailure(onFailure);
                // brokers inside a VPC: the event source's pollers reach them from the same subnets (MSK's pollers
                // use the cluster's own network configuration)
                placement.ifPresent(p -> props.vpc(p.vpc()).vpcSubnets(p.subnets()).securityGroup(p.groups().getFirst()));
                yield new SelfManagedKafkaEventSource(props.build());
            }
        };
    }

    /** The intake's grants, as the API function's upload path has them. */
    private void grantLeastPrivilege(DeploymentSettings settings, Storage storage, ImageApi api) {
        String originals = storage.originals().getBucketArn();
        // the served master, the unblurred copy of a flagged image; DeleteObject is the intake's undo
        function.addToRolePolicy(Allow.statement(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(originals + "/originals/*", originals + "/quarantine/*")));
        // id reservation (conditional put), record, idempotency key, daily counters, undo
        function.addToRolePolicy(Allow.statement(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"), List.of(storage.records().getTableArn())));
        // DetectModerationLabels has no resource-level permissions
        function.addToRolePolicy(Allow.statement(List.of("rekognition:DetectModerationLabels"), List.of("*")));
        // read at start by every function with the shared environment (WEBHOOK_SECRET_ARN)
        function.addToRolePolicy(Allow.statement(List.of("secretsmanager:GetSecretValue"),
                List.of(api.webhookSecret().getSecretArn())));
        settings.mailFrom().ifPresent(from -> function.addToRolePolicy(Allow.statement(List.of("ses:SendEmail"),
                List.of(Stack.of(this).formatArn(ArnComponents.builder()
                        .service("ses").resource("identity").resourceName(from).build())))));
        String originalsId = ImageApi.logicalId(storage.originals());
        NagSuppressions.addResourceSuppressions(function.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*", "Resource::<" + originalsId + ".Arn>/originals/*",
                        "Resource::<" + originalsId + ".Arn>/quarantine/*"))
                .reason("objects under a prefix: their keys are image ids minted at run time, so the prefix is the"
                        + " narrowest resource. '*' only where the action has no resource-level permissions"
                        + " (rekognition:DetectModerationLabels, X-Ray's PutTraceSegments/PutTelemetryRecords)")
                .build()), true);
    }



    public Function function() {
        return function;
    }

    /** The on-failure destination of the Kafka event source. */
    public Queue failedBatches() {
        return failedBatches;
    }
}
