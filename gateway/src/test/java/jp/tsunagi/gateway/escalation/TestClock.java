package jp.tsunagi.gateway.escalation;

import jp.tsunagi.schema.JapanTime;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** A clock the test sets: the gateway's "now" at the moments a story needs (e.g. a Friday before a holiday). */
public final class TestClock extends Clock {
    private volatile Instant now;

    public TestClock(Instant now) {
        this.now = now;
    }

    /** At a time written with its offset, e.g. {@code 2026-09-18T15:00:00+09:00}. */
    public static TestClock at(String isoOffsetDateTime) {
        return new TestClock(OffsetDateTime.parse(isoOffsetDateTime).toInstant());
    }

    public void set(String isoOffsetDateTime) {
        now = OffsetDateTime.parse(isoOffsetDateTime).toInstant();
    }

    @Override
    public ZoneId getZone() {
        return JapanTime.ZONE;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
