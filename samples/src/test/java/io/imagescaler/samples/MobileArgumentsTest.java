package io.imagescaler.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.samples.mobile.MobileCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image ids are URL-safe base64, so about one in 32 begins with '-'. */
class MobileArgumentsTest {
    private static final String DASHED = "-VqpZ" + "a".repeat(38);

    @Test
    void idsThatBeginWithADashGoAfterTheDoubleDash() {
        String plain = "b".repeat(43);
        var parsed = MobileCommand.commandLine().parseArgs("--width", "390", "--", DASHED, plain);
        assertFalse(parsed.isVersionHelpRequested());
        assertEquals(List.of(DASHED, plain), parsed.matchedPositionalValue(0, List.of()));
    }

    @Test
    void withoutItTheUserIsToldWhatToDoInsteadOfGettingTheVersion() {
        var cli = MobileCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("--width", "390", DASHED));
        assertTrue(err.toString().contains("go after '--'"), err.toString());
    }
}
