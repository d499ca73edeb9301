package jp.tsunagi.gateway.console;

import jp.tsunagi.schema.JapanTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** The system clock moved forward on demand: lets a test pass a session's idle timeout without waiting. */
final class ShiftingClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void advance(Duration by) {
        shift = shift.plus(by);
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
        return Instant.now().plus(shift);
    }
}
