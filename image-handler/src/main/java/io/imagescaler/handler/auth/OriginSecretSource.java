package io.imagescaler.handler.auth;

/** Where the origin secrets come from: the environment locally, Secrets Manager on AWS. */
public interface OriginSecretSource {

    OriginSecrets secrets();
}
