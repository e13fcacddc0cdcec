package io.imagescaler.edge.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for the X-Ray daemon: listens on UDP 127.0.0.1 for segment documents in the daemon's
 * protocol (a header line {@code {"format": "json", "version": 1}}, a newline, then one segment or
 * subsegment as JSON) and keeps the most recent traces in memory, grouped by trace id, for
 * {@code GET /_local/traces}. Nothing is forwarded anywhere.
 */
public final class TraceCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraceCollector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The daemon's limit for one UDP document is 64 KiB. */
    private static final int MAX_PACKET = 64 * 1024;

    private final DatagramSocket socket;
    private final int capacity;
    private final Thread reader;
    /** Trace id to its documents, oldest trace first. */
    private final LinkedHashMap<String, List<JsonNode>> traces = new LinkedHashMap<>();
    private final AtomicLong rejected = new AtomicLong();

    private TraceCollector(DatagramSocket socket, int capacity) {
        this.socket = socket;
        this.capacity = capacity;
        this.reader = Thread.ofPlatform().daemon().name("trace-collector").unstarted(this::read);
    }

    /**
     * @param port     UDP port on 127.0.0.1 (0 = any free port)
     * @param capacity how many traces are kept; the oldest go first
     */
    public static TraceCollector start(int port, int capacity) throws SocketException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        TraceCollector collector = new TraceCollector(socket, capacity);
        collector.reader.start();
        LOG.info("X-Ray segments accepted on udp 127.0.0.1:{}; recent traces at GET /_local/traces",
                socket.getLocalPort());
        return collector;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The value for {@code AWS_XRAY_DAEMON_ADDRESS}. */
    public String daemonAddress() {
        return "127.0.0.1:" + port();
    }

    /** Datagrams that were not a daemon-protocol segment document. */
    public long rejected() {
        return rejected.get();
    }

    private void read() {
        byte[] buffer = new byte[MAX_PACKET];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) LOG.warn("trace collector: receive failed", e);
                continue;
            }
            Optional<JsonNode> document = parse(new String(packet.getData(), packet.getOffset(), packet.getLength(),
                    StandardCharsets.UTF_8));
            if (document.isPresent()) {
                accept(document.get());
            } else {
                rejected.incrementAndGet();
            }
        }
    }

    /** One datagram: the protocol header line, a newline, one JSON document with a trace id. */
    static Optional<JsonNode> parse(String datagram) {
        int newline = datagram.indexOf('\n');
        if (newline < 0) return Optional.empty();
        try {
            JsonNode header = JSON.readTree(datagram.substring(0, newline));
            if (!"json".equals(header.path("format").asText()) || header.path("version").asInt() != 1) {
                return Optional.empty();
            }
            JsonNode body = JSON.readTree(datagram.substring(newline + 1));
            return body != null && body.hasNonNull("trace_id") && body.hasNonNull("id") ? Optional.of(body)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Keeps a segment document (from UDP, or the edge's own segment handed over in-process). */
    public synchronized void accept(JsonNode document) {
        String traceId = document.path("trace_id").asText();
        traces.computeIfAbsent(traceId, k -> new ArrayList<>()).add(document);
        for (Iterator<String> oldest = traces.keySet().iterator(); traces.size() > capacity; ) {
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * The recent traces, newest first: for each trace its segments (the edge's, the handler's) with their
     * subsegments, durations in milliseconds, annotations, HTTP status and AWS operation.
     */
    public synchronized ObjectNode view() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("traces");
        List<Map.Entry<String, List<JsonNode>>> entries = new ArrayList<>(traces.entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            ObjectNode trace = list.addObject();
            trace.put("traceId", entries.get(i).getKey());
            ArrayNode segments = trace.putArray("segments");
            entries.get(i).getValue().stream()
                    .sorted(java.util.Comparator.comparingDouble(d -> d.path("start_time").asDouble()))
                    .forEach(d -> segments.add(entity(d)));
        }
        return root;
    }

    private static ObjectNode entity(JsonNode d) {
        ObjectNode e = JSON.createObjectNode();
        e.put("name", d.path("name").asText());
        e.put("id", d.path("id").asText());
        if (d.hasNonNull("parent_id")) e.put("parentId", d.path("parent_id").asText());
        if (d.hasNonNull("namespace")) e.put("namespace", d.path("namespace").asText());
        if (d.path("aws").hasNonNull("operation")) e.put("operation", d.path("aws").path("operation").asText());
        double start = d.path("start_time").asDouble();
        e.put("startTime", start);
        if (d.hasNonNull("end_time")) {
            e.put("durationMs", Math.round((d.path("end_time").asDouble() - start) * 1e6) / 1e3);
        } else {
            e.put("inProgress", true);
        }
        if (d.path("http").path("response").hasNonNull("status")) {
            e.put("status", d.path("http").path("response").path("status").asInt());
        }
        for (String flag : new String[] {"error", "fault", "throttle"}) {
            if (d.path(flag).asBoolean(false)) e.put(flag, true);
        }
        if (d.has("annotations")) e.set("annotations", d.get("annotations"));
        if (d.has("subsegments")) {
            ArrayNode subs = e.putArray("subsegments");
            d.get("subsegments").forEach(s -> subs.add(entity(s)));
        }
        return e;
    }

    @Override
    public void close() {
        socket.close();
        reader.interrupt();
    }
}
