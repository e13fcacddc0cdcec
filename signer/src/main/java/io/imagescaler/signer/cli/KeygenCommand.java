package io.imagescaler.signer.cli;

import io.imagescaler.signer.PemKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes an RSA-2048 pair: the private key for signers, the public key in the form CloudFront imports. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an RSA-2048 key pair: <name>-private.pem (PKCS#8) and <name>-public.pem (the"
                + " X.509 public key CloudFront wants).")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = ".", description = "Directory to write into (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", defaultValue = "cloudfront", description = "File name prefix (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path privateFile = out.resolve(name + "-private.pem");
        Path publicFile = out.resolve(name + "-public.pem");
        if (!force && (Files.exists(privateFile) || Files.exists(publicFile))) {
            spec.commandLine().getErr().println("refusing to overwrite " + privateFile + " / " + publicFile
                    + " (use --force)");
            return 2;
        }
        Files.createDirectories(out);
        KeyPair pair = PemKeys.generateRsa2048();
        Files.deleteIfExists(privateFile);
        try {
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(privateFile);
        }
        Files.writeString(privateFile, PemKeys.privateKeyPem(pair.getPrivate()));
        Files.writeString(publicFile, PemKeys.publicKeyPem(pair.getPublic()));
        PrintWriter o = spec.commandLine().getOut();
        o.println("private key: " + privateFile + " (keep secret; give to signers)");
        o.println("public key:  " + publicFile);
        o.println("On AWS: upload the public key as a CloudFront public key (console, or aws cloudfront"
                + " create-public-key), add it to the distribution's trusted key group, and sign with"
                + " --key-pair-id <its id>.");
        o.flush();
        return 0;
    }
}
