package dev.sandq.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;

/**
 * Turns share groups on in a running broker whose data directory was formatted before they were
 * (an older sandq's `sandq up`): raises {@code metadata.version} to the one the wanted
 * {@code share.version} needs, then {@code share.version}. A broker formatted by this sandq has
 * them already, and nothing is changed.
 */
final class ShareGroupFeature {
    private static final long TIMEOUT_SECONDS = 60;

    private ShareGroupFeature() {
    }

    static void enable(String bootstrapServers, ShareVersion wanted) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, FeatureUpdate> updates = new LinkedHashMap<>();
            short metadataNeeded = wanted.bootstrapMetadataVersion().featureLevel();
            if (level(features, MetadataVersion.FEATURE_NAME) < metadataNeeded) {
                updates.put(MetadataVersion.FEATURE_NAME,
                        new FeatureUpdate(MetadataVersion.LATEST_PRODUCTION.featureLevel(), FeatureUpdate.UpgradeType.UPGRADE));
            }
            if (level(features, ShareVersion.FEATURE_NAME) < wanted.featureLevel()) {
                updates.put(ShareVersion.FEATURE_NAME,
                        new FeatureUpdate(wanted.featureLevel(), FeatureUpdate.UpgradeType.UPGRADE));
            }
            if (!updates.isEmpty()) {
                admin.updateFeatures(updates, new UpdateFeaturesOptions()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot turn share groups on (" + ShareVersion.FEATURE_NAME + " "
                    + wanted.featureLevel() + ") in the broker at " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while turning share groups on", e);
        }
    }

    private static short level(FeatureMetadata features, String name) {
        FinalizedVersionRange range = features.finalizedFeatures().get(name);
        return range == null ? 0 : range.maxVersionLevel();
    }
}
