package jp.tsunagi.gateway.audit;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * When the chain gets a signed checkpoint: on its first entry, then once {@code everyEntries} entries or
 * {@code every} time have passed since the last checkpoint (checked at each entry the sequencer chains; an idle trail needs none,
 * since its signed head already covers the last entry).
 */
public record CheckpointPolicy(long everyEntries, Duration every) {
    /** 1000 entries or 60 seconds. */
    public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(1000, Duration.ofSeconds(60));

    public CheckpointPolicy {
        if (everyEntries < 1 || every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("a checkpoint policy needs a positive number of entries and a positive duration");
        }
    }

    boolean due(long seq, long lastCheckpointSeq, OffsetDateTime lastCheckpointAt, OffsetDateTime at) {
        return lastCheckpointAt == null
                || seq - lastCheckpointSeq >= everyEntries
                || !at.isBefore(lastCheckpointAt.plus(every));
    }
}
