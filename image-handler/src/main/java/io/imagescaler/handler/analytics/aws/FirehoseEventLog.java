package io.imagescaler.handler.analytics.aws;

import io.imagescaler.handler.analytics.EventLog;
import io.imagescaler.handler.analytics.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * {@link EventLog} on Amazon Data Firehose: one PutRecordBatch per batch, each record one JSON line (the
 * newline included, so the objects Firehose writes to S3 are JSON lines that Athena's JSON SerDe reads).
 * Records Firehose refuses in a batch that otherwise succeeded (throttling) are sent once more; what
 * fails again is reported as not written.
 */
public final class FirehoseEventLog implements EventLog {
    /** PutRecordBatch takes at most 4 MiB per call and 1,000 KiB per record. */
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
    static final int MAX_RECORD_BYTES = 1000 * 1024;

    private final FirehoseClient firehose;
    private final String stream;

    public FirehoseEventLog(FirehoseClient firehose, String stream) {
        this.firehose = firehose;
        this.stream = stream;
    }

    @Override
    public int write(List<UsageEvent> batch) {
        int failed = 0;
        List<Record> call = new ArrayList<>();
        int callBytes = 0;
        for (UsageEvent e : batch) {
            byte[] line = (e.json() + "\n").getBytes(StandardCharsets.UTF_8);
            if (line.length > MAX_RECORD_BYTES) {
                failed++;
                continue;
            }
            if (callBytes + line.length > MAX_BATCH_BYTES || call.size() == MAX_BATCH) {
                failed += put(call);
                call = new ArrayList<>();
                callBytes = 0;
            }
            call.add(Record.builder().data(SdkBytes.fromByteArrayUnsafe(line)).build());
            callBytes += line.length;
        }
        if (!call.isEmpty()) failed += put(call);
        return failed;
    }

    /** @return how many records of the call were refused twice */
    private int put(List<Record> records) {
        List<Record> pending = records;
        for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
            List<Record> sent = pending;
            PutRecordBatchResponse response = firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(sent));
            if (response.failedPutCount() == null || response.failedPutCount() == 0) {
                return 0;
            }
            List<Record> refused = new ArrayList<>();
            List<PutRecordBatchResponseEntry> answers = response.requestResponses();
            for (int i = 0; i < answers.size(); i++) {
                if (answers.get(i).errorCode() != null) refused.add(sent.get(i));
            }
            pending = refused;
        }
        return pending.size();
    }

    @Override
    public String toString() {
        return "Firehose stream " + stream;
    }
}
