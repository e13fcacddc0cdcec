package io.imagescaler.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.CfnParameterProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CacheCookieBehavior;
import software.amazon.awscdk.services.cloudfront.CacheHeaderBehavior;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.CachePolicyProps;
import software.amazon.awscdk.services.cloudfront.CacheQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.CachedMethods;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.DistributionProps;
import software.amazon.awscdk.services.cloudfront.Function;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionCode;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.FunctionProps;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.IOrigin;
import software.amazon.awscdk.services.cloudfront.KeyGroup;
import software.amazon.awscdk.services.cloudfront.KeyGroupProps;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.PublicKey;
import software.amazon.awscdk.services.cloudfront.PublicKeyProps;
import software.amazon.awscdk.services.cloudfront.S3OriginAccessControl;
import software.amazon.awscdk.services.cloudfront.SSLMethod;
import software.amazon.awscdk.services.cloudfront.SecurityPolicyProtocol;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.OriginGroup;
import software.amazon.awscdk.services.cloudfront.origins.OriginGroupProps;
import software.amazon.awscdk.services.cloudfront.origins.RestApiOrigin;
import software.amazon.awscdk.services.cloudfront.origins.RestApiOriginProps;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOriginWithOACProps;
import software.constructs.Construct;

/**
 * The CloudFront distribution. Variant GETs ({@code /v1/images/{id}/{transform}.{fmt}}) go to an origin
 * group: the generated bucket through Origin Access Control first, API Gateway when the bucket answers
 * 403/404 (a miss: OAC without ListBucket answers 403). Everything else goes to API Gateway uncached.
 * Every API Gateway origin request carries {@code X-Origin-Verify}, which the regional WAF requires.
 * Job results ({@code /processed/{jobId}/{file}}) come straight from the generated bucket through the same
 * Origin Access Control, behind the same trusted key group as variants (the worker signs their links).
 */
public final class Cdn extends Construct {
    public static final String VARIANT_PATH = "/v1/images/*/*";
    public static final List<Number> FAILOVER_STATUS_CODES = List.of(403, 404);
    /** Job results, as keyed in the generated bucket ({@link Storage#PROCESSED_PREFIX}). */
    public static final String RESULT_PATH = "/processed/*";
    /** Job submissions sit under the variant pattern's shape and must reach the API uncached. */
    public static final String JOBS_PATH = "/v1/images/*/jobs";

    private final Distribution distribution;
    private final CachePolicy variantCachePolicy;
    private final CachePolicy resultCachePolicy;
    private final KeyGroup signers;
    private final PublicKey signerKey;

    public Cdn(Construct scope, String id, DeploymentSettings settings, RepoLayout repo,
               Storage storage, ImageApi api, EdgeSecurity security) {
        super(scope, id);

        signerKey = new PublicKey(this, "SignerKey", PublicKeyProps.builder()
                .comment("image-scaler signer")
                .encodedKey(signerPublicKey(settings))
                .build());
        signers = new KeyGroup(this, "Signers", KeyGroupProps.builder()
                .comment("keys whose signed URLs/cookies may fetch images (signer keygen)")
                .items(List.of(signerKey))
                .build());

        // key = path only: the path already holds the id, the canonical transform and a concrete format
        // (.auto was rewritten from Accept by the viewer-request function); signed-URL parameters, Accept
        // and cookies never enter the key, so every viewer of a variant shares one cache entry
        variantCachePolicy = pathOnly("VariantCache", "image-scaler variants: path (id, transform, normalised format) only",
                Duration.days(365));

        // a result's key is its path; the signed-URL parameters never enter it. Results are immutable and gone
        // from the bucket after Storage.resultLifetimeDays, so the edge keeps them no longer either
        resultCachePolicy = pathOnly("ResultCache", "image-scaler job results: path only",
                Duration.days(Storage.resultLifetimeDays(settings)));

        Map<String, String> verify = Map.of(EdgeSecurity.ORIGIN_VERIFY_HEADER, security.currentOriginVerifyValue());
        IOrigin apiOrigin = new RestApiOrigin(api.api(), RestApiOriginProps.builder()
                .originPath("/" + ImageApi.STAGE)
                .customHeaders(verify)
                .readTimeout(Duration.seconds(30))
                .build());
        // the variant function strips /v1/images from the URI so the bucket sees {id}/{transform}.{fmt};
        // this origin puts it back for API Gateway
        // the failover request carries no viewer header (the cache key holds none), and API Gateway
        // base64-decodes a Lambda's binary body only when Accept matches a binary media type
        Map<String, String> verifyAndAccept = Map.of(EdgeSecurity.ORIGIN_VERIFY_HEADER, security.currentOriginVerifyValue(),
                "Accept", "*/*");
        IOrigin apiVariantOrigin = new RestApiOrigin(api.api(), RestApiOriginProps.builder()
                .originPath("/" + ImageApi.STAGE + "/v1/images")
                .customHeaders(verifyAndAccept)
                .readTimeout(Duration.seconds(30))
                .build());
        // one Origin Access Control for both uses of the generated bucket (variants, job results)
        S3OriginAccessControl generatedAccess = new S3OriginAccessControl(this, "GeneratedAccess");
        S3BucketOriginWithOACProps withAccess = S3BucketOriginWithOACProps.builder()
                .originAccessControl(generatedAccess).build();
        IOrigin variants = new OriginGroup(OriginGroupProps.builder()
                .primaryOrigin(S3BucketOrigin.withOriginAccessControl(storage.generated(), withAccess))
                .fallbackOrigin(apiVariantOrigin)
                .fallbackStatusCodes(FAILOVER_STATUS_CODES)
                .build());

        // the same file the local edge runs (waf-rules edge/variant-request.js), inlined as it is
        Function variantRequest = new Function(this, "VariantRequest", FunctionProps.builder()
                .comment("image-scaler: decode %XX, .auto from Accept, strip /v1/images for the origin group")
                .runtime(FunctionRuntime.JS_2_0)
                .code(FunctionCode.fromInline(read(repo.variantRequestFunction())))
                .build());

        BehaviorOptions variantBehavior = BehaviorOptions.builder()
                .origin(variants)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                .cachedMethods(CachedMethods.CACHE_GET_HEAD)
                .cachePolicy(variantCachePolicy)
                .compress(false)
                .trustedKeyGroups(List.of(signers))
                .functionAssociations(List.of(FunctionAssociation.builder()
                        .eventType(FunctionEventType.VIEWER_REQUEST).function(variantRequest).build()))
                .build();
        // the original sits under the same pattern but is not in the generated bucket: straight to the
        // handler, uncached, still behind signed URLs. Metadata is the owner's (bearer token checked by the
        // handler), so it has no trusted key group: an owner with a token but no signed URL can read it.
        BehaviorOptions signedApi = BehaviorOptions.builder()
                .origin(apiOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .trustedKeyGroups(List.of(signers))
                .build();
        IOrigin results = S3BucketOrigin.withOriginAccessControl(storage.generated(), withAccess);
        BehaviorOptions resultBehavior = BehaviorOptions.builder()
                .origin(results)
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                .cachedMethods(CachedMethods.CACHE_GET_HEAD)
                .cachePolicy(resultCachePolicy)
                .compress(false)
                .trustedKeyGroups(List.of(signers))
                .build();
        BehaviorOptions apiBehavior = BehaviorOptions.builder()
                .origin(apiOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .build();

        DistributionProps.Builder props = DistributionProps.builder()
                .comment("image-scaler")
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100)
                .webAclId(security.cloudFrontAcl().getAttrArn())
                // standard logs, next to the buckets' access logs (Storage.logs, expired after 90 days)
                .enableLogging(true)
                .logBucket(storage.logs())
                .logFilePrefix("cloudfront/")
                .logIncludesCookies(false)
                .defaultBehavior(apiBehavior);
        settings.domainName().ifPresent(name -> props
                .domainNames(List.of(name))
                .certificate(Certificate.fromCertificateArn(this, "Certificate", settings.certificateArn().orElseThrow()))
                .minimumProtocolVersion(SecurityPolicyProtocol.TLS_V1_2_2021)
                .sslSupportMethod(SSLMethod.SNI));
        distribution = new Distribution(this, "Distribution", props.build());
        if (settings.domainName().isEmpty()) {
            NagSuppressions.addResourceSuppressions(distribution, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-CFR4")
                    .reason("no custom domain configured: the default *.cloudfront.net certificate's security policy"
                            + " is fixed by CloudFront (TLSv1); deploy with -c domainName=... -c certificateArn=..."
                            + " to require TLSv1.2_2021 (cdk/README.md, TLS)")
                    .build()));
        }
        NagSuppressions.addResourceSuppressions(distribution, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-CFR1")
                .reason("an image CDN for public web pages: who may fetch is decided by signed URLs, not by country;"
                        + " a deployment with a legal need adds geoRestriction here")
                .build()));
        // CloudFront matches behaviours in order: the two specific patterns must precede the variant one
        distribution.addBehavior("/v1/images/*/original", apiOrigin, signedApi);
        distribution.addBehavior("/v1/images/*/metadata", apiOrigin, apiBehavior);
        // POST (owner's bearer token, checked by the API's authorizer), no signed URL
        distribution.addBehavior(JOBS_PATH, apiOrigin, apiBehavior);
        distribution.addBehavior(VARIANT_PATH, variants, variantBehavior);
        distribution.addBehavior(RESULT_PATH, results, resultBehavior);
    }

    private String signerPublicKey(DeploymentSettings settings) {
        if (settings.signerPublicKeyPem().isPresent()) {
            return read(settings.signerPublicKeyPem().get());
        }
        return new CfnParameter(Stack.of(this), "SignerPublicKeyPem", CfnParameterProps.builder()
                .type("String")
                .description("PEM public key for signed URLs (signer keygen writes it)")
                .noEcho(false)
                .build()).getValueAsString();
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public Distribution distribution() {
        return distribution;
    }

    public CachePolicy variantCachePolicy() {
        return variantCachePolicy;
    }

    public CachePolicy resultCachePolicy() {
        return resultCachePolicy;
    }

    /** {@code https://} and the distribution's domain: the base of signed result links. */
    public String resultUrlBase(DeploymentSettings settings) {
        return "https://" + settings.domainName().orElse(distribution.getDistributionDomainName());
    }

    /** Its id is the {@code Key-Pair-Id} of every signed URL. */
    public PublicKey signerKey() {
        return signerKey;
    }

    public KeyGroup signers() {
        return signers;
    }

    /** A cache policy keyed on the path alone: no query string, header or cookie, no compressed variants. */
    private CachePolicy pathOnly(String id, String comment, Duration maxTtl) {
        return new CachePolicy(this, id, CachePolicyProps.builder()
                .comment(comment)
                .queryStringBehavior(CacheQueryStringBehavior.none())
                .headerBehavior(CacheHeaderBehavior.none())
                .cookieBehavior(CacheCookieBehavior.none())
                .enableAcceptEncodingGzip(false)
                .enableAcceptEncodingBrotli(false)
                .minTtl(Duration.seconds(0))
                .defaultTtl(Duration.days(1))
                .maxTtl(maxTtl)
                .build());
    }
}
