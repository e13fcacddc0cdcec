package io.imagescaler.signer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code signer}: make CloudFront key pairs, sign URLs and cookies, and explain why a URL would be refused. */
@Command(name = "signer", mixinStandardHelpOptions = true, version = "signer 0.1.0",
        description = "CloudFront signed URLs and cookies for image-scaler.",
        subcommands = {KeygenCommand.class, SignCommand.class, SrcsetCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class SignerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        // a failure is a one-line message for the user, not a stack trace
        return new CommandLine(new SignerCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    cli.getErr().println("signer: " + e.getMessage());
                    cli.getErr().flush();
                    return 2;
                });
    }

    public static void main(String[] args) {
        // the AWS SDK logs through SLF4J; a CLI has no logging backend and wants no notice about that
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(commandLine().execute(args));
    }
}
