package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.signer.cli.SignerCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end: keygen → sign → verify, and the explanations verify prints. */
class SignerCommandTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SignerCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void keygenSignVerify(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--out", dir.toString(), "--name", "dev").exit());
        Path priv = dir.resolve("dev-private.pem");
        Path pub = dir.resolve("dev-public.pem");
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals(2, run("keygen", "--out", dir.toString(), "--name", "dev").exit(), "keygen never overwrites silently");

        String url = "https://d111111abcdef8.cloudfront.net/v1/images/abc/w_800.webp";
        Run signed = run("sign", "--url", url, "--key-pair-id", "KDEV", "--private-key", priv.toString(),
                "--expires", "10m");
        assertEquals(0, signed.exit(), signed.err());
        String signedUrl = signed.out().strip();
        assertTrue(signedUrl.startsWith(url + "?Expires="));

        Run ok = run("verify", "--url", signedUrl, "--public-key", "KDEV=" + pub);
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().startsWith("ALLOWED"));

        Run tampered = run("verify", "--url", signedUrl.replace("w_800", "w_900"), "--public-key", "KDEV=" + pub);
        assertEquals(1, tampered.exit());
        assertTrue(tampered.out().contains("TAMPERED"), tampered.out());
        assertTrue(tampered.out().contains("<Code>AccessDenied</Code>"));

        Run later = run("verify", "--url", signedUrl, "--public-key", "KDEV=" + pub, "--now", "11m");
        assertTrue(later.out().contains("EXPIRED"), later.out());
    }

    @Test
    void wildcardSha256WithRangeAndCookies(@TempDir Path dir) throws Exception {
        run("keygen", "--out", dir.toString());
        Path priv = dir.resolve("cloudfront-private.pem");
        Path pub = dir.resolve("cloudfront-public.pem");
        String url = "https://d111111abcdef8.cloudfront.net/v1/images/abc/w_800.webp";
        Run signed = run("sign", "--url", url, "--key-pair-id", "K1", "--private-key", priv.toString(), "--wildcard",
                "--hash", "sha256", "--ip", "10.0.0.0/8", "--starts", "0s");
        String signedUrl = signed.out().strip();
        assertTrue(signedUrl.contains("Policy=") && signedUrl.endsWith("&Hash-Algorithm=SHA256"), signedUrl);
        String sibling = signedUrl.replace("w_800.webp", "w_1600.avif");
        assertEquals(0, run("verify", "--url", sibling, "--public-key", "K1=" + pub, "--ip", "10.9.8.7").exit());
        Run outside = run("verify", "--url", sibling, "--public-key", "K1=" + pub, "--ip", "192.168.1.1");
        assertTrue(outside.out().contains("IP_NOT_ALLOWED"), outside.out());
        Run unknown = run("verify", "--url", sibling, "--public-key", "K2=" + pub, "--ip", "10.9.8.7");
        assertTrue(unknown.out().contains("UNKNOWN_KEY"), unknown.out());

        Run cookies = run("sign", "--url", url, "--key-pair-id", "K1", "--private-key", priv.toString(), "--wildcard",
                "--cookies");
        String curl = cookies.out().lines().filter(l -> l.startsWith("curl -b '")).findFirst().orElseThrow();
        String header = curl.substring("curl -b '".length(), curl.indexOf("' '"));
        Run viaCookies = run("verify", "--url", url.replace("w_800", "w_10"), "--public-key", "K1=" + pub,
                "--cookie-header", header);
        assertEquals(0, viaCookies.exit(), viaCookies.out());
        assertTrue(viaCookies.out().startsWith("ALLOWED (cookie)"));
    }

    @Test
    void srcsetEntriesAllVerify(@TempDir Path dir) {
        run("keygen", "--out", dir.toString());
        String id = io.imagescaler.spec.ImageId.random().value();
        Run r = run("srcset", "--origin", "https://d111111abcdef8.cloudfront.net", "--id", id, "--widths", "320,640",
                "--transform", "fit_cover,q_75", "--format", "webp", "--key-pair-id", "K1", "--private-key",
                dir.resolve("cloudfront-private.pem").toString(), "--hash", "SHA256");
        assertEquals(0, r.exit(), r.err());
        String[] entries = r.out().strip().split(", ");
        assertEquals(2, entries.length);
        assertTrue(entries[0].endsWith(" 320w") && entries[1].endsWith(" 640w"));
        assertTrue(entries[0].contains("/v1/images/" + id + "/w_320,fit_cover,q_75.webp?Policy="), entries[0]);
        for (String e : entries) {
            String url = e.substring(0, e.lastIndexOf(' '));
            Run v = run("verify", "--url", url, "--public-key", "K1=" + dir.resolve("cloudfront-public.pem"));
            assertEquals(0, v.exit(), v.out());
        }
    }

    @Test
    void missingSignatureIsExplained(@TempDir Path dir) {
        run("keygen", "--out", dir.toString());
        Run r = run("verify", "--url", "https://x.test/a.jpg", "--public-key", "K=" + dir.resolve("cloudfront-public.pem"));
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("MISSING") && r.out().contains("MissingKey"), r.out());
    }

    @Test
    void badTimeIsAUsageError(@TempDir Path dir) {
        run("keygen", "--out", dir.toString());
        Run r = run("sign", "--url", "https://x.test/a.jpg", "--key-pair-id", "K", "--private-key",
                dir.resolve("cloudfront-private.pem").toString(), "--expires", "soon");
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("soon"), r.err());
    }
}
