package dev.segue.store.s3;

import java.net.URI;
import java.util.Locale;

/**
 * Where and how the store's S3 client connects. One convention, each setting read from a system property first,
 * then the environment:
 * <ul>
 *   <li>endpoint: {@code -Dsegue.s3.endpoint} / {@code SEGUE_S3_ENDPOINT}, else AWS's own
 *       {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}, else Amazon S3's regional endpoint;</li>
 *   <li>path-style addressing ({@code http://host/bucket/key}): {@code segue.s3.pathStyle} /
 *       {@code SEGUE_S3_PATH_STYLE}, by default on when an endpoint is set (S3-compatible servers) and off otherwise;</li>
 *   <li>region: {@code segue.s3.region} / {@code SEGUE_S3_REGION}, else the AWS SDK's chain ({@code AWS_REGION},
 *       {@code -Daws.region}, the profile), else {@code us-east-1};</li>
 *   <li>credentials: the AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
 *       {@code -Daws.accessKeyId}/{@code -Daws.secretAccessKey}, {@code ~/.aws/credentials} and {@code AWS_PROFILE},
 *       web identity, container and instance roles);</li>
 *   <li>attempts per request (the SDK's standard retry mode, backing off): {@code segue.s3.maxAttempts} /
 *       {@code SEGUE_S3_MAX_ATTEMPTS}, default 3.</li>
 * </ul>
 */
record S3Config(URI endpoint, boolean pathStyle, String region, int maxAttempts) {
    static S3Config fromEnvironment() {
        String endpoint = setting("segue.s3.endpoint", "SEGUE_S3_ENDPOINT");
        if (endpoint == null) {
            endpoint = env("AWS_ENDPOINT_URL_S3");
        }
        if (endpoint == null) {
            endpoint = env("AWS_ENDPOINT_URL");
        }
        URI uri = null;
        if (endpoint != null) {
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("S3 endpoint '" + endpoint + "' is not a URI (" + e.getMessage() + ")");
            }
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("S3 endpoint '" + endpoint + "' is not like http://host:port");
            }
        }
        String ps = setting("segue.s3.pathStyle", "SEGUE_S3_PATH_STYLE");
        boolean pathStyle = ps == null ? uri != null : Boolean.parseBoolean(ps.trim().toLowerCase(Locale.ROOT));
        String attempts = setting("segue.s3.maxAttempts", "SEGUE_S3_MAX_ATTEMPTS");
        int maxAttempts;
        try {
            maxAttempts = attempts == null ? 3 : Integer.parseInt(attempts.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("segue.s3.maxAttempts '" + attempts + "' is not a number");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("segue.s3.maxAttempts must be at least 1, not " + maxAttempts);
        }
        return new S3Config(uri, pathStyle, setting("segue.s3.region", "SEGUE_S3_REGION"), maxAttempts);
    }

    /** The endpoint for messages: the one set, or Amazon S3's. */
    String endpointName() {
        return endpoint == null ? "Amazon S3" + (region == null ? "" : " (" + region + ")") : endpoint.toString();
    }

    private static String setting(String property, String variable) {
        String v = System.getProperty(property);
        return v != null && !v.isBlank() ? v.trim() : env(variable);
    }

    private static String env(String variable) {
        String v = System.getenv(variable);
        return v != null && !v.isBlank() ? v.trim() : null;
    }
}
