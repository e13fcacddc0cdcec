package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroup;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroupProps;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolProps;
import software.constructs.Construct;

/**
 * Who may upload: a Cognito user pool whose ID tokens the API accepts as Bearer JWTs. Users are created by
 * an administrator (no self sign-up); members of {@code admins} may also read {@code /v1/stats}.
 */
public final class Uploaders extends Construct {
    public static final String ADMINS_GROUP = "admins";

    private final UserPool pool;
    private final UserPoolClient client;

    public Uploaders(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        pool = new UserPool(this, "Pool", UserPoolProps.builder()
                // Plus: threat protection (compromised-credential and risky sign-in checks), enforced below
                .featurePlan(FeaturePlan.PLUS)
                .standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION)
                // a person may add a TOTP app; service accounts that sign in from servers cannot answer one
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .passwordPolicy(PasswordPolicy.builder().minLength(12).requireLowercase(true).requireUppercase(true)
                        .requireDigits(true).requireSymbols(true).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build());
        NagSuppressions.addResourceSuppressions(pool, List.of(NagPackSuppression.builder().id("AwsSolutions-COG2")
                .reason("MFA is OPTIONAL, not REQUIRED: uploaders include service accounts that sign in from servers"
                        + " (admin password auth) and cannot answer a second factor; people can enrol TOTP, and"
                        + " threat protection (enforced) blocks risky and compromised-credential sign-ins")
                .build()));
        client = pool.addClient("Client", UserPoolClientOptions.builder()
                .generateSecret(false)
                // SRP for apps; admin password auth for the README's CLI walk-through
                .authFlows(AuthFlow.builder().userSrp(true).adminUserPassword(true).build())
                .idTokenValidity(Duration.hours(1))
                .accessTokenValidity(Duration.hours(1))
                .build());
        new CfnUserPoolGroup(this, "Admins", CfnUserPoolGroupProps.builder()
                .userPoolId(pool.getUserPoolId())
                .groupName(ADMINS_GROUP)
                .description("may read /v1/stats and delete any image")
                .build());
    }

    public UserPool pool() {
        return pool;
    }

    public UserPoolClient client() {
        return client;
    }

    /** The {@code iss} claim of the pool's tokens, which the handler verifies. */
    public String issuer() {
        return pool.getUserPoolProviderUrl();
    }
}
