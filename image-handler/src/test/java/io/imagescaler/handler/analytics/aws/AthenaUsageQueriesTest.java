package io.imagescaler.handler.analytics.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagescaler.handler.analytics.Metric;
import io.imagescaler.handler.analytics.UsageQueries;
import io.imagescaler.handler.analytics.UsageRow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * The Athena adapter's side of the protocol against moto's server: StartQueryExecution in a workgroup,
 * polling GetQueryExecution, reading GetQueryResults (header row first, numbers as text). Moto does not
 * run SQL: the rows are set through its API beforehand, so this holds the adapter's handling of the
 * answers, not the query (the queries run in DuckDB in the local-edge tests; Athena itself was never
 * exercised from this repository).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AthenaUsageQueriesTest {
    MotoServer moto;
    AthenaClient athena;

    @BeforeAll
    void start() throws Exception {
        moto = MotoServer.startOrSkip();
        athena = AthenaClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).build();
        athena.createWorkGroup(b -> b.name("image-scaler-analytics").configuration(c -> c.resultConfiguration(
                r -> r.outputLocation("s3://lake/athena-results/"))));
    }

    @AfterAll
    void stop() throws Exception {
        if (athena != null) athena.close();
        if (moto != null) moto.close();
    }

    /** The next query's rows, through moto's API (the first row is the header, as Athena sends it). */
    private void nextResult(List<List<String>> rows) throws Exception {
        StringBuilder json = new StringBuilder("{\"account_id\":\"123456789012\",\"region\":\"us-east-1\",\"results\":[{\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) json.append(',');
            json.append("{\"Data\":[");
            for (int j = 0; j < rows.get(i).size(); j++) {
                if (j > 0) json.append(',');
                json.append("{\"VarCharValue\":\"").append(rows.get(i).get(j)).append("\"}");
            }
            json.append("]}");
        }
        json.append("]}]}");
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(moto.endpoint()
                + "/moto-api/static/athena/query-results")).POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    static final List<String> HEADER = List.of("owner", "uploads", "bytes", "flagged", "variants", "sr_calls",
            "sr_ms", "deletes");

    @Test
    void rowsAreReadByColumnNameAfterTheHeader() throws Exception {
        nextResult(List.of(HEADER, List.of("alice", "2", "1234", "0", "3", "0", "0", "0"),
                List.of("bob", "2", "99", "1", "1", "0", "0", "1")));
        var queries = new AthenaUsageQueries(athena, "image-scaler-analytics", "analytics", Duration.ofSeconds(10),
                Duration.ofMillis(50));
        List<UsageRow> rows = queries.select("SELECT 1", 100);
        assertEquals(2, rows.size());
        assertEquals("alice", rows.get(0).key());
        assertEquals(1234, rows.get(0).get(Metric.BYTES));
        assertEquals(3, rows.get(0).get(Metric.VARIANTS));
        assertEquals(1, rows.get(1).get(Metric.DELETES));
    }

    @Test
    void moreRowsThanAllowedIsTooManyRows() throws Exception {
        nextResult(List.of(HEADER, List.of("a", "1", "1", "0", "0", "0", "0", "0"),
                List.of("b", "1", "1", "0", "0", "0", "0", "0")));
        var queries = new AthenaUsageQueries(athena, "image-scaler-analytics", "analytics", Duration.ofSeconds(10),
                Duration.ofMillis(50));
        assertThrows(UsageQueries.TooManyRows.class, () -> queries.select("SELECT 1", 1));
    }
}
