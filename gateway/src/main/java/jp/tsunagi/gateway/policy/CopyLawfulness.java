package jp.tsunagi.gateway.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a forwarded copy may still go on the wire now (配信直前の再確認): judged by the delivery workers in the
 * transaction that marks the copy as being sent, so a withdrawal answered before that transaction stops the copy.
 * One place for the conditions: each is one line below.
 */
public final class CopyLawfulness {
    /** What is known about one copy just before it is sent. */
    public record Copy(String recipient, Instant consentWithdrawnAt, Instant consentExpiresAt) {
        public Copy {
            Objects.requireNonNull(recipient, "recipient");
        }
    }

    /**
     * @return null if the copy may be sent, else the stable code it is stopped with (its dead letter's last error
     *         code and the audit entry's code)
     */
    public String stopCode(Copy copy, Instant now) {
        if (copy.consentWithdrawnAt() != null) {
            return PolicyCodes.CONSENT_WITHDRAWN;
        }
        if (copy.consentExpiresAt() != null && !copy.consentExpiresAt().isAfter(now)) {
            return PolicyCodes.CONSENT_EXPIRED;
        }
        return null;
    }

    /**
     * Whether a dead letter may be put back in its queue (再送前の再確認): the conditions of {@link #stopCode}, and a
     * recipient not suspended (利用停止), to which nothing is delivered.
     *
     * @return null if it may be requeued, else the stable code it is refused with
     */
    public String requeueRefusal(Copy copy, boolean recipientSuspended, Instant now) {
        String stop = stopCode(copy, now);
        if (stop != null) {
            return stop;
        }
        return recipientSuspended ? PolicyCodes.RECIPIENT_SUSPENDED : null;
    }
}
