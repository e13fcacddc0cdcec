package io.imagescaler.handler.analytics.aws;

import io.imagescaler.handler.analytics.EventLog;
import io.imagescaler.handler.analytics.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * {@link EventLog} on Amazon Data Firehose: one PutRecordBatch per batch. Firehose bills ingestion per
 * record rounded up to 5 KB, and an event is ~0.3 KB, so events are packed: each Firehose record holds
 * many JSON lines (each ending in a newline, so what Firehose concatenates into S3 objects is JSON lines
 * that Athena's JSON SerDe reads), up to {@link #RECORD_BYTES}. Records Firehose refuses in a call that
 * otherwise succeeded (throttling) are sent once more; the events of what fails again are reported as not
 * written.
 */
public final class FirehoseEventLog implements EventLog {
    /** A packed record's size: well under Firehose's 1,000 KiB, so one refused record loses few events. */
    static final int RECORD_BYTES = 64 * 1024;

    private final FirehoseClient firehose;
    private final String stream;

    public FirehoseEventLog(FirehoseClient firehose, String stream) {
        this.firehose = firehose;
        this.stream = stream;
    }

    /** A Firehose record and how many events it carries. */
    record Packed(Record record, int events) {
    }

    @Override
    public int write(List<UsageEvent> batch) {
        List<Packed> records = pack(batch);
        // At most 500 events per batch, 64 KiB per record: one call stays under PutRecordBatch's 4 MiB
        // and 500 records.
        return records.isEmpty() ? 0 : put(records);
    }

    static List<Packed> pack(List<UsageEvent> batch) {
        List<Packed> records = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int events = 0;
        for (UsageEvent e : batch) {
            byte[] line = (e.json() + "\n").getBytes(StandardCharsets.UTF_8);
            if (current.size() > 0 && current.size() + line.length > RECORD_BYTES) {
                records.add(new Packed(Record.builder().data(SdkBytes.fromByteArray(current.toByteArray())).build(),
                        events));
                current.reset();
                events = 0;
            }
            current.writeBytes(line);
            events++;
        }
        if (events > 0) {
            records.add(new Packed(Record.builder().data(SdkBytes.fromByteArray(current.toByteArray())).build(),
                    events));
        }
        return records;
    }

    /** @return how many events were in records refused twice */
    private int put(List<Packed> records) {
        List<Packed> pending = records;
        for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
            List<Packed> sent = pending;
            PutRecordBatchResponse response = firehose.putRecordBatch(b -> b.deliveryStreamName(stream)
                    .records(sent.stream().map(Packed::record).toList()));
            if (response.failedPutCount() == null || response.failedPutCount() == 0) {
                return 0;
            }
            List<Packed> refused = new ArrayList<>();
            List<PutRecordBatchResponseEntry> answers = response.requestResponses();
            for (int i = 0; i < answers.size(); i++) {
                if (answers.get(i).errorCode() != null) refused.add(sent.get(i));
            }
            pending = refused;
        }
        return pending.stream().mapToInt(Packed::events).sum();
    }

    @Override
    public String toString() {
        return "Firehose stream " + stream;
    }
}
