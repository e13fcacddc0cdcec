package io.imagescaler.edge.analytics;

import io.imagescaler.handler.analytics.GroupBy;
import io.imagescaler.handler.analytics.LakeFiles;
import io.imagescaler.handler.analytics.UsageEvent;
import io.imagescaler.handler.analytics.UsageSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Not a test (no timed assertions): how long the local edge's DuckDB takes for the usage reports over a
 * lake of N events written by the real {@link LakeFiles} writer, spread over 30 days and 200 owners.
 *
 * <pre>
 * mvn -B -q -pl local-edge -am test-compile
 * java -cp "$(cat local-edge/target/bench.classpath)" io.imagescaler.edge.analytics.LakeQueryBench 1000000 /tmp/lake-bench
 * </pre>
 * (the classpath: {@code mvn -q -pl local-edge dependency:build-classpath -Dmdep.outputFile=target/bench.classpath},
 * then prepend {@code local-edge/target/test-classes:local-edge/target/classes:image-handler/target/classes:}).
 */
public final class LakeQueryBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path root = Path.of(args[1]);
        LakeFiles lake = new LakeFiles(root);
        if (!Files.isDirectory(lake.events())) {
            Random random = new Random(1);
            String[] types = {"image/jpeg", "image/png", "image/webp"};
            UsageEvent.Type[] kinds = {UsageEvent.Type.RENDER, UsageEvent.Type.RENDER, UsageEvent.Type.RENDER,
                    UsageEvent.Type.RENDER, UsageEvent.Type.UPLOAD, UsageEvent.Type.MODERATION, UsageEvent.Type.SR,
                    UsageEvent.Type.DELETE};
            long t0 = System.nanoTime();
            List<UsageEvent> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Instant time = LocalDate.of(2026, 11, 1 + i % 30).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(i % 86_400);
                UsageEvent.Type kind = kinds[random.nextInt(kinds.length)];
                var b = UsageEvent.at(time, kind).image("customer-" + random.nextInt(200), "image-" + random.nextInt(5000),
                        types[random.nextInt(types.length)]).size(1000 + random.nextInt(300_000), 640, 480);
                if (kind == UsageEvent.Type.MODERATION) b.verdict(random.nextInt(10) == 0 ? "BLUR" : "ALLOW", null);
                if (kind == UsageEvent.Type.RENDER || kind == UsageEvent.Type.SR) b.transform("w_640.webp").format("webp")
                        .durationMs(5 + random.nextInt(900));
                batch.add(b.build());
                if (batch.size() == 10_000) {
                    lake.write(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) lake.write(batch);
            System.out.printf("wrote %d events in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
        }
        UsageSql sql = UsageSql.load();
        try (DuckDbUsageQueries duck = new DuckDbUsageQueries(lake.events())) {
            for (GroupBy g : GroupBy.values()) {
                for (Optional<String> owner : List.of(Optional.<String>empty(), Optional.of("customer-7"))) {
                    for (int run = 0; run < 3; run++) {
                        long t = System.nanoTime();
                        int rows = duck.select(sql.render(g, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30),
                                owner), 50_000).size();
                        System.out.printf("groupBy=%s owner=%s run %d: %d rows in %d ms%n", g.key(),
                                owner.orElse("*"), run, rows, (System.nanoTime() - t) / 1_000_000);
                    }
                }
            }
        }
    }
}
