package jp.tsunagi.gateway.operations;

import java.time.Clock;
import java.util.Set;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.delivery.DeadLetters;
import jp.tsunagi.gateway.policy.CopyLawfulness;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.PayloadCipher;

/** The operating side (運用) the console and the command line share: referrals and dead letters over one store. */
public record Operations(ReferralDesk referrals, DeadLetterDesk deadLetters) {

    /**
     * @param suspended        agencies suspended in agencies.yaml: nothing is requeued to them
     * @param requeueApproval  the two-person rule for requeues ({@code tsunagi.console.requeue-approval})
     * @param wakeUp           wakes the delivery workers after a requeue (a no-op outside the running gateway)
     */
    public static Operations of(DataSource dataSource, AuditChain audit, PayloadCipher cipher, Set<String> suspended,
                                boolean requeueApproval, Clock clock, Runnable wakeUp) {
        DeadLetters deadLetters = new DeadLetters(dataSource, new OutboxQueue(cipher, suspended), new CopyLawfulness(),
                suspended, clock, DeadLetters.Listener.NONE);
        return new Operations(new ReferralDesk(dataSource, audit, clock),
                new DeadLetterDesk(dataSource, deadLetters, audit, requeueApproval, clock, wakeUp));
    }
}
