package io.imagescaler.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmProps;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.DashboardProps;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.GraphWidgetProps;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.MetricProps;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.TopicProps;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What an operator watches: one dashboard and the alarms that page (5xx rate, p99 latency, Lambda
 * throttles, SR endpoint errors, WAF blocks, a message in either dead-letter queue, jobs waiting too long),
 * all to one SNS topic.
 */
public final class Monitoring extends Construct {
    private static final Duration PERIOD = Duration.minutes(5);
    /** A job older than this in the queue means the workers (at their concurrency cap) are not keeping up. */
    public static final int JOB_AGE_ALARM_SECONDS = 3600;

    private final Topic alarms;
    private final List<Alarm> all = new ArrayList<>();

    public Monitoring(Construct scope, String id, DeploymentSettings settings, ImageApi api, Cdn cdn,
                      EdgeSecurity security, Optional<SuperResolution> sr, Jobs jobs, UploadProcessing uploads) {
        super(scope, id);
        // publishers (CloudWatch alarms) must use TLS, as the topic policy says
        alarms = new Topic(this, "Alarms", TopicProps.builder().enforceSsl(true).build());
        settings.alarmEmail().ifPresent(email -> alarms.addSubscription(new EmailSubscription(email)));
        String region = Stack.of(this).getRegion();

        // API Gateway's 5XXError averaged over a period is the fraction of requests that failed
        IMetric api5xx = api.api().metricServerError(MetricOptions.builder()
                .statistic("Average").period(PERIOD).label("API 5xx rate").build());
        IMetric edge5xx = cloudFront(cdn, "5xxErrorRate", "Average", "CloudFront 5xx %");
        IMetric apiP99 = api.api().metricLatency(MetricOptions.builder()
                .statistic("p99").period(PERIOD).label("API p99 latency").build());
        IMetric handlerP99 = api.function().metricDuration(MetricOptions.builder()
                .statistic("p99").period(PERIOD).label("handler p99 duration").build());
        IMetric throttles = api.function().metricThrottles(MetricOptions.builder()
                .statistic("Sum").period(PERIOD).label("handler throttles").build());
        IMetric handlerErrors = api.function().metricErrors(MetricOptions.builder()
                .statistic("Sum").period(PERIOD).label("handler errors").build());
        // cache hit rate would need CloudFront's paid additional metrics; request volume is free
        IMetric requests = cloudFront(cdn, "Requests", "Sum", "CloudFront requests");
        IMetric regionalBlocks = wafBlocks(security.regionalAcl().getName(), Map.of("Region", region), "regional WAF blocks");
        // CloudFront-scope web ACL metrics carry no Region dimension (they live in us-east-1)
        IMetric edgeBlocks = wafBlocks(security.cloudFrontAcl().getName(), Map.of(), "CloudFront WAF blocks");

        alarm("Api5xxRate", api5xx, 0.05, "more than 5% of API requests answered 5xx");
        alarm("Edge5xxRate", edge5xx, 5, "more than 5% of CloudFront responses are 5xx");
        alarm("ApiP99Latency", apiP99, 10_000, "API p99 latency above 10 s (variant renders are too slow)");
        alarm("HandlerThrottles", throttles, 0, "the handler is being throttled (concurrency limit)");
        // a surge of blocks is an attack or a broken origin-verify rotation; both need a human
        alarm("RegionalWafBlocks", regionalBlocks, 100, "regional WAF blocked >100 requests in 5 min");
        alarm("EdgeWafBlocks", edgeBlocks, 1000, "CloudFront WAF blocked >1000 requests in 5 min");

        // a dead letter is a job or an upload that failed every attempt: one is enough to look
        IMetric jobDeadLetters = jobs.queue().deadLetters().metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(PERIOD).label("jobs DLQ messages").build());
        IMetric uploadDeadLetters = uploads.uploads().deadLetters().metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(PERIOD).label("uploads DLQ messages").build());
        IMetric oldestJob = jobs.queue().queue().metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                .statistic("Maximum").period(PERIOD).label("oldest queued job (s)").build());
        IMetric queuedJobs = jobs.queue().queue().metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(PERIOD).label("queued jobs").build());
        alarm("JobsDeadLetters", jobDeadLetters, 0, "a job failed every attempt and is in image-scaler-jobs-dlq", 1, 1);
        alarm("UploadsDeadLetters", uploadDeadLetters, 0,
                "a large upload failed every attempt and is in image-scaler-uploads-dlq", 1, 1);
        alarm("OldestJob", oldestJob, JOB_AGE_ALARM_SECONDS, "a job waited more than an hour for a worker", 3, 2);

        List<IWidget> srWidgets = new ArrayList<>();
        sr.ifPresent(s -> {
            IMetric srErrors = sageMaker(s, "Invocation5XXErrors", "Sum", "SR 5xx");
            IMetric srModelErrors = sageMaker(s, "Invocation4XXErrors", "Sum", "SR 4xx");
            IMetric srLatency = sageMaker(s, "ModelLatency", "p99", "SR p99 model latency (us)");
            alarm("SrErrors", srErrors, 5, "SR endpoint errors: upscales fall back to Lanczos");
            srWidgets.add(graph("Super-resolution", List.of(srErrors, srModelErrors), List.of(srLatency)));
        });

        List<IWidget> row = new ArrayList<>(List.of(
                graph("Errors", List.of(api5xx), List.of(edge5xx)),
                graph("Latency (ms)", List.of(apiP99, handlerP99), List.of()),
                graph("Handler", List.of(throttles, handlerErrors), List.of(requests)),
                graph("WAF blocks", List.of(regionalBlocks, edgeBlocks), List.of()),
                graph("Queues", List.of(queuedJobs, jobDeadLetters, uploadDeadLetters), List.of(oldestJob))));
        row.addAll(srWidgets);
        new Dashboard(this, "Dashboard", DashboardProps.builder()
                .dashboardName(Stack.of(this).getStackName())
                .widgets(List.of(row))
                .build());
    }

    private IMetric wafBlocks(String webAcl, Map<String, String> extra, String label) {
        Map<String, String> dims = new java.util.LinkedHashMap<>(Map.of("WebACL", webAcl, "Rule", "ALL"));
        dims.putAll(extra);
        return new Metric(MetricProps.builder()
                .namespace("AWS/WAFV2").metricName("BlockedRequests").dimensionsMap(dims)
                .statistic("Sum").period(PERIOD).label(label).build());
    }

    /** CloudFront publishes to us-east-1 with the dimension Region=Global next to the distribution id. */
    private static IMetric cloudFront(Cdn cdn, String name, String statistic, String label) {
        return new Metric(MetricProps.builder()
                .namespace("AWS/CloudFront").metricName(name)
                .dimensionsMap(Map.of("DistributionId", cdn.distribution().getDistributionId(), "Region", "Global"))
                .region("us-east-1")
                .statistic(statistic).period(PERIOD).label(label).build());
    }

    private static IMetric sageMaker(SuperResolution sr, String name, String statistic, String label) {
        return new Metric(MetricProps.builder()
                .namespace("AWS/SageMaker").metricName(name)
                .dimensionsMap(Map.of("EndpointName", sr.endpointName(), "VariantName", SuperResolution.VARIANT))
                .statistic(statistic).period(PERIOD).label(label).build());
    }

    private void alarm(String id, IMetric metric, double threshold, String description) {
        alarm(id, metric, threshold, description, 3, 2);
    }

    private void alarm(String id, IMetric metric, double threshold, String description, int periods, int datapoints) {
        Alarm alarm = new Alarm(this, id, AlarmProps.builder()
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(datapoints)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build());
        alarm.addAlarmAction(new SnsAction(alarms));
        all.add(alarm);
    }

    private static GraphWidget graph(String title, List<IMetric> left, List<IMetric> right) {
        return new GraphWidget(GraphWidgetProps.builder()
                .title(title).left(left).right(right).width(6).height(6).build());
    }

    public Topic alarms() {
        return alarms;
    }

    public List<Alarm> all() {
        return List.copyOf(all);
    }
}
