package io.imagescaler.handler.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.imagescaler.handler.api.HttpResponse;
import io.imagescaler.handler.api.Problems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The envelope: API Gateway REST proxy events in and out, binary bodies base64. */
class ImageHandlerEventTest {

    @Test
    void readsARealApiGatewayEventWithABase64Body() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
        String json = """
                {"resource":"/{proxy+}","path":"/v1/images","httpMethod":"POST",
                 "headers":{"content-type":"image/png","X-Origin-Verify":"s"},
                 "queryStringParameters":{"Expires":"1700000000","Signature":"a~b-c_"},
                 "requestContext":{"requestId":"r-1","stage":"prod","identity":{"sourceIp":"203.0.113.9"}},
                 "body":"%s","isBase64Encoded":true}
                """.formatted(Base64.getEncoder().encodeToString(png));
        APIGatewayProxyRequestEvent event = ImageHandler.JSON.readValue(json, APIGatewayProxyRequestEvent.class);
        var request = ImageHandler.toRequest(event);
        assertEquals("POST", request.method());
        assertEquals("/v1/images", request.path());
        assertArrayEquals(png, request.body());
        assertEquals("image/png", request.header("Content-Type").orElseThrow(), "headers are case-insensitive");
        assertTrue(request.rawQuery().contains("Signature=a%7Eb-c_") || request.rawQuery().contains("Signature=a~b-c_"));
    }

    @Test
    void binaryAnswersAreBase64AndProblemsAreText() throws Exception {
        byte[] webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', (byte) 0x80};
        var binary = ImageHandler.toEvent(HttpResponse.of(200, "image/webp", webp));
        assertTrue(binary.getIsBase64Encoded());
        assertArrayEquals(webp, Base64.getDecoder().decode(binary.getBody()));

        var problem = ImageHandler.toEvent(Problems.problem(404, "not-found", "Not found", "no image", "/x"));
        assertFalse(problem.getIsBase64Encoded());
        assertEquals(Problems.MEDIA_TYPE, problem.getHeaders().get("Content-Type"));
        JsonNode body = ImageHandler.JSON.readTree(problem.getBody().getBytes(StandardCharsets.UTF_8));
        assertEquals("https://image-scaler.dev/problems/not-found", body.get("type").asText());
        assertEquals(404, body.get("status").asInt());
        String out = ImageHandler.JSON.writeValueAsString(problem);
        assertTrue(out.contains("\"isBase64Encoded\":false"), out);
        assertTrue(out.contains("\"statusCode\":404"), out);
    }

    @Test
    void emptyAnswersCarryAnEmptyBody() {
        var e = ImageHandler.toEvent(new HttpResponse(204, Map.of("Cache-Control", "no-store"), null));
        assertEquals(204, e.getStatusCode());
        assertEquals("", e.getBody());
    }

    /** The three kinds of event one handler class receives: API Gateway, S3 ObjectCreated, EventBridge schedule. */
    @Test
    void s3EventsStartProcessingAndTheScheduledEventRunsTheSweeper() throws Exception {
        java.util.List<String> processed = new java.util.ArrayList<>();
        int[] sweeps = {0};
        ImageHandler handler = new ImageHandler(null, id -> processed.add(id.value()), () -> sweeps[0]++);
        String id = "A".repeat(43);
        String s3 = """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventName":"ObjectCreated:CompleteMultipartUpload",
                  "s3":{"bucket":{"name":"image-storage"},"object":{"key":"incoming/%s","size":9}}},
                 {"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"object":{"key":"originals/%s"}}}]}
                """.formatted(id, id);
        handler.handleRequest(new java.io.ByteArrayInputStream(s3.getBytes(StandardCharsets.UTF_8)),
                new java.io.ByteArrayOutputStream(), null);
        assertEquals(java.util.List.of(id), processed, "only incoming/ keys start processing");
        assertEquals(0, sweeps[0]);

        // what an EventBridge schedule rule sends (the CDK rule passes it unchanged)
        String scheduled = """
                {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",
                 "source":"aws.events","account":"123456789012","time":"2026-11-23T14:00:00Z",
                 "region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/sweeper"],
                 "detail":{}}
                """;
        handler.handleRequest(new java.io.ByteArrayInputStream(scheduled.getBytes(StandardCharsets.UTF_8)),
                new java.io.ByteArrayOutputStream(), null);
        assertEquals(1, sweeps[0]);
        assertEquals(1, processed.size());
    }
}
