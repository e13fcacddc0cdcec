package io.imagescaler.signer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code signer}: make CloudFront key pairs, sign URLs and cookies, and explain why a URL would be refused. */
@Command(name = "signer", mixinStandardHelpOptions = true, version = "signer 0.1.0",
        description = "CloudFront signed URLs and cookies for image-scaler.",
        subcommands = {KeygenCommand.class, SignCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class SignerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return new CommandLine(new SignerCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
