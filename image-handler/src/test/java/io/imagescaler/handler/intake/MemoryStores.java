package io.imagescaler.handler.intake;

import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.Detected;
import io.imagescaler.handler.moderation.ModerationLabel;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.handler.moderation.Moderator;
import io.imagescaler.handler.storage.IdempotencyKeys;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.storage.StoredObject;
import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory ports for the use-case tests (intake, Kafka ingestion), each keeping the contract its AWS adapter
 * keeps with conditional writes, with switches that make a call fail the way a dependency does (503-kind).
 */
public final class MemoryStores {
    private MemoryStores() {
    }

    /** A file of the repository's testdata/ ({@code images/...} or {@code bad/...}; see testdata/SOURCES.md). */
    public static byte[] testImage(String dirAndName) {
        java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath();
        while (p != null && !java.nio.file.Files.isDirectory(p.resolve("testdata"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("testdata/ not found above " + java.nio.file.Path.of("").toAbsolutePath());
        }
        try {
            return java.nio.file.Files.readAllBytes(p.resolve("testdata").resolve(dirAndName));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code originals/} and {@code quarantine/} of the originals bucket. */
    public static final class MemoryOriginals implements Originals {
        public final Map<ImageId, StoredObject> masters = new HashMap<>();
        public final Map<ImageId, StoredObject> quarantine = new HashMap<>();
        /** When true, every write fails as S3 down would. */
        public boolean failWrites;
        /** When true, every read of a master fails as S3 down would. */
        public volatile boolean failReads;

        @Override
        public synchronized void put(ImageId id, byte[] bytes, String contentType) {
            failIfDown();
            masters.put(id, new StoredObject(bytes.clone(), contentType, null, null));
        }

        @Override
        public synchronized Optional<StoredObject> get(ImageId id) {
            if (failReads) {
                throw new io.imagescaler.handler.error.ImageScalerException.UpstreamFailure(
                        "the originals store (S3) failed (test); try again", null);
            }
            return Optional.ofNullable(masters.get(id));
        }

        @Override
        public synchronized void delete(ImageId id) {
            masters.remove(id);
            quarantine.remove(id);
        }

        @Override
        public synchronized void deleteMaster(ImageId id) {
            failIfDown();
            masters.remove(id);
        }

        @Override
        public synchronized void putQuarantine(ImageId id, byte[] bytes, String contentType) {
            failIfDown();
            quarantine.put(id, new StoredObject(bytes.clone(), contentType, null, null));
        }

        @Override
        public synchronized Optional<StoredObject> getQuarantine(ImageId id) {
            return Optional.ofNullable(quarantine.get(id));
        }

        @Override
        public synchronized void deleteQuarantine(ImageId id) {
            failIfDown();
            quarantine.remove(id);
        }

        @Override
        public URI temporaryUrl(ImageId id, Duration lifetime) {
            return URI.create("https://originals.invalid/" + id.value());
        }

        public synchronized int objects() {
            return masters.size() + quarantine.size();
        }

        private void failIfDown() {
            if (failWrites) {
                throw new UpstreamFailure("the originals store (S3) failed (test); try again", null);
            }
        }
    }

    /** The image records table, with DynamoImageRecords' conditions. */
    /** The generated bucket: conditional writes as S3's {@code If-None-Match: *}. */
    public static final class MemoryVariants implements io.imagescaler.handler.storage.Variants {
        public final Map<String, StoredObject> objects = new HashMap<>();

        @Override
        public synchronized Optional<StoredObject> get(String key) {
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public synchronized void put(String key, byte[] bytes, String contentType, String cacheControl) {
            objects.put(key, new StoredObject(bytes.clone(), contentType, cacheControl, null));
        }

        @Override
        public synchronized boolean putIfAbsent(String key, byte[] bytes, String contentType, String cacheControl) {
            return objects.putIfAbsent(key, new StoredObject(bytes.clone(), contentType, cacheControl, null)) == null;
        }

        @Override
        public synchronized int deleteAll(ImageId id) {
            int before = objects.size();
            objects.keySet().removeIf(k -> k.startsWith(id.value() + "/"));
            return before - objects.size();
        }
    }

    public static final class MemoryImageRecords implements ImageRecords {
        public final Map<ImageId, ImageRecord> items = new HashMap<>();
        /** When true, {@link #finish} fails as DynamoDB down would. */
        public boolean failFinish;

        @Override
        public synchronized boolean createIfAbsent(ImageRecord record) {
            return items.putIfAbsent(record.id(), record) == null;
        }

        @Override
        public synchronized Optional<ImageRecord> get(ImageId id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public synchronized boolean transition(ImageId id, ImageStatus expected, ImageStatus next) {
            ImageRecord r = items.get(id);
            if (r == null || r.status() != expected) {
                return false;
            }
            items.put(id, r.withStatus(next));
            return true;
        }

        @Override
        public synchronized boolean finish(ImageId id, ImageStatus expected, ImageStatus next,
                                           ModerationVerdict verdict, String reason) {
            if (failFinish) {
                throw new UpstreamFailure("the image records (DynamoDB) failed (test); try again", null);
            }
            ImageRecord r = items.get(id);
            if (r == null || r.status() != expected) {
                return false;
            }
            items.put(id, new ImageRecord(r.id(), r.owner(), next, r.contentType(), r.width(), r.height(), r.frames(),
                    r.bytes(), r.sha256(), r.createdAt(), Optional.empty(),
                    verdict != null ? Optional.of(verdict) : r.moderation(), Optional.ofNullable(reason)));
            return true;
        }

        @Override
        public synchronized void describe(ImageId id, String contentType, int width, int height, int frames,
                                          long bytes, String sha256) {
            ImageRecord r = items.get(id);
            items.put(id, new ImageRecord(r.id(), r.owner(), r.status(), contentType, width, height, frames, bytes,
                    sha256, r.createdAt(), r.expiresAt(), r.moderation(), r.statusReason()));
        }

        @Override
        public synchronized void delete(ImageId id) {
            items.remove(id);
        }

        @Override
        public synchronized List<Unfinished> unfinished() {
            List<Unfinished> out = new ArrayList<>();
            for (ImageRecord r : items.values()) {
                if (r.status() == ImageStatus.STORING || r.status() == ImageStatus.UPLOADING
                        || r.status() == ImageStatus.PROCESSING) {
                    out.add(new Unfinished(r.id(), r.status(), r.createdAt(), r.expiresAt()));
                }
            }
            return out;
        }
    }

    /** Idempotency keys with DynamoIdempotencyKeys' conditions (expiry and stale claims by the clock). */
    public static final class MemoryKeys implements IdempotencyKeys {
        private record Item(String hash, Instant expires, Instant stale, ImageId id) {
        }

        private final Map<String, Item> items = new HashMap<>();
        private final Clock clock;

        public MemoryKeys(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized boolean claim(String key, String hash, Instant expiresAt, Instant staleAt) {
            Item i = items.get(key);
            Instant now = clock.instant();
            if (i == null || i.expires.isBefore(now) || (i.id == null && i.stale.isBefore(now))) {
                items.put(key, new Item(hash, expiresAt, staleAt, null));
                return true;
            }
            return false;
        }

        @Override
        public synchronized boolean reclaim(String key, String hash, Instant expiresAt, Instant staleAt, ImageId dead) {
            Item i = items.get(key);
            if (i != null && dead.equals(i.id) && i.hash.equals(hash) && i.stale.isBefore(clock.instant())) {
                items.put(key, new Item(hash, expiresAt, staleAt, null));
                return true;
            }
            return false;
        }

        @Override
        public synchronized Optional<Entry> get(String key) {
            Item i = items.get(key);
            return i == null || i.expires.isBefore(clock.instant()) ? Optional.empty()
                    : Optional.of(new Entry(i.hash, Optional.ofNullable(i.id)));
        }

        @Override
        public synchronized void complete(String key, ImageId id) {
            Item i = items.get(key);
            items.put(key, new Item(i.hash, i.expires, i.stale, id));
        }

        @Override
        public synchronized void release(String key) {
            items.remove(key);
        }

        public synchronized int size() {
            return items.size();
        }
    }

    /** A model that reports the labels the test sets, or fails as Rekognition down would. */
    public static final class LabelledModerator implements Moderator {
        public volatile List<ModerationLabel> labels = List.of();
        public volatile boolean down;
        public int calls;

        @Override
        public synchronized Detected detect(byte[] image, double minConfidence) {
            calls++;
            if (down) {
                throw new UpstreamFailure("the moderation service (Rekognition) failed (test); try again", null);
            }
            return new Detected(labels, "test-model-1");
        }
    }
}
