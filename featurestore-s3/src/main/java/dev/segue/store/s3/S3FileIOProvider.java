package dev.segue.store.s3;

import dev.segue.store.StoreException;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import dev.segue.store.io.StoreFileIOProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code s3://bucket/path} store roots through the AWS SDK v2 ({@link S3FileIO}); configured as
 * {@link S3Config} describes (system properties {@code segue.s3.*}, else the environment, else the AWS SDK's
 * defaults). Opening a root checks the bucket ({@code HeadBucket}), so a missing bucket, a denied access or an
 * unreachable endpoint fails at once, in one line naming the root and the endpoint.
 */
public final class S3FileIOProvider implements StoreFileIOProvider {
    /** One client per configuration: each holds a connection pool, and a process may open many stores. */
    private static final Map<S3Config, S3Client> CLIENTS = new ConcurrentHashMap<>();

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public StoreFileIO open(Location root) {
        S3Config config;
        try {
            config = S3Config.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new StoreException("store " + root + ": " + e.getMessage());
        }
        return open(root, config);
    }

    static StoreFileIO open(Location root, S3Config config) {
        S3FileIO.Key key;
        try {
            key = S3FileIO.Key.of(root);
        } catch (IllegalArgumentException e) {
            throw new StoreException("store " + root + ": " + e.getMessage());
        }
        S3Client s3;
        try {
            s3 = CLIENTS.computeIfAbsent(config, S3FileIOProvider::client);
        } catch (SdkException e) {
            throw new StoreException("store " + root + ": cannot set up the S3 client: " + S3FileIO.firstLine(e), e);
        }
        S3FileIO io = new S3FileIO(s3, config.endpointName());
        try {
            s3.headBucket(b -> b.bucket(key.bucket()));
        } catch (S3Exception e) {
            // HeadBucket answers with a status and no body: 404 no such bucket, 403 denied
            if (e.statusCode() == 404) {
                throw new StoreException("store " + root + ": the bucket '" + key.bucket() + "' does not exist at " + config.endpointName(), e);
            }
            if (e.statusCode() == 403) {
                throw new StoreException("store " + root + ": access to the bucket '" + key.bucket() + "' denied by "
                        + config.endpointName() + " (check the credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)", e);
            }
            throw new StoreException("store " + root + ": " + io.fail(root, e).getMessage(), e);
        } catch (SdkClientException e) {
            String why = S3FileIO.firstLine(S3FileIO.rootCause(e));
            if (e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")) {
                throw new StoreException("store " + root + ": no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                        + "or AWS_PROFILE)", e);
            }
            throw new StoreException("store " + root + ": cannot reach the S3 endpoint " + config.endpointName() + " (" + why + ")", e);
        } catch (SdkException e) {
            IOException io2 = io.fail(root, e);
            throw new StoreException("store " + root + ": " + io2.getMessage(), e);
        }
        return io;
    }

    private static S3Client client(S3Config c) {
        var builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)))
                .credentialsProvider(DefaultCredentialsProvider.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryPolicy(RetryPolicy.builder().numRetries(c.maxAttempts() - 1).build()).build())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(c.pathStyle()).build())
                .region(region(c));
        if (c.endpoint() != null) {
            builder.endpointOverride(c.endpoint());
        }
        return builder.build();
    }

    private static Region region(S3Config c) {
        if (c.region() != null) {
            return Region.of(c.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1; // S3-compatible servers mostly ignore it; Amazon S3 redirects to the bucket's
        }
    }
}
