package jp.tsunagi.gateway.audit;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A stored provision record (提供記録): a {@link Provision}, when it happened and until when it is kept. */
public record ProvisionRecord(String id, OffsetDateTime at, Provision provision, LocalDate keepUntil) {
}
