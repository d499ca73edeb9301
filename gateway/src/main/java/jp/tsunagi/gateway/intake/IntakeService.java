package jp.tsunagi.gateway.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.Provision;
import jp.tsunagi.gateway.audit.ProvisionRecords;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.store.IdempotencyCheck;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.SqlWork;
import jp.tsunagi.gateway.store.StoredMessage;
import jp.tsunagi.gateway.store.Transactions;
import jp.tsunagi.gateway.policy.ConsentEngine;
import jp.tsunagi.gateway.policy.ConsentLedger;
import jp.tsunagi.gateway.policy.Decision;
import jp.tsunagi.gateway.policy.MinimizationRefusedException;
import jp.tsunagi.gateway.policy.Minimized;
import jp.tsunagi.gateway.policy.Minimizer;
import jp.tsunagi.gateway.policy.PolicyConfig;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.gateway.referral.ReferralRefusedException;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.ConsentMethod;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.signature.JsonSignatures;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SignedJson;
import jp.tsunagi.schema.signature.VerifiedSignature;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.Problem;
import jp.tsunagi.schema.validation.ProblemCode;

/**
 * The intake of one message (受付), docs/architecture.md section 3: bounded read, signature, validation, sender binding,
 * replay window, idempotency, lawful basis, lifecycle, minimization, gateway signature and provenance, then ONE
 * transaction (message, outbox, referral state, audit entries, provision record, receipt) before the 202.
 * Every refusal is answered with a stable code and leaves an audit entry; nothing is half-written.
 */
public final class IntakeService {
    /** Validation problems that mean "the consent does not cover this message": 403 like the consent engine's. */
    private static final Set<ProblemCode> OUT_OF_SCOPE = Set.of(ProblemCode.CONSENT_CATEGORY_MISSING,
            ProblemCode.CONSENT_PERIOD_INVALID, ProblemCode.CONSENT_TAX_REQUIRES_CONSENT,
            ProblemCode.CONSENT_SENSITIVE_NOT_NAMED);

    private final AgencyDirectory agencies;
    private final PolicyConfig policy;
    private final DataSource dataSource;
    private final MessageStore store;
    private final AuditChain audit;
    private final ProvisionRecords provisions;
    private final SubjectPseudonyms pseudonyms;
    private final GatewayMessages gatewayMessages;
    private final ConsentEngine consentEngine;
    private final ReferralLedger ledger;
    private final Minimizer minimizer;
    private final MessageReader reader;
    private final IntakeSettings settings;
    private final Clock clock;
    private final Runnable deliveryWakeUp;

    /** What decides whether a message may go, and what of it: plain Java, built by the application. */
    public record Lawfulness(AgencyDirectory agencies, PolicyConfig policy, ConsentEngine consentEngine, Minimizer minimizer) {
    }

    /** Where an accepted message is recorded, in one transaction: store, audit chain, provision records, pseudonyms. */
    public record Records(DataSource dataSource, MessageStore store, AuditChain audit, ProvisionRecords provisions,
                          SubjectPseudonyms pseudonyms) {
        /** The withdrawals the consent engine consults, read from the store (fail closed: 503 when it is down). */
        public ConsentLedger withdrawals() {
            return consentId -> {
                try {
                    return Transactions.inTransaction(dataSource, c -> store.withdrawnAt(c, consentId));
                } catch (SQLException e) {
                    throw new StoreUnavailableException(e);
                }
            };
        }
    }

    public IntakeService(Lawfulness lawfulness, Records records, ReferralLedger ledger, GatewayMessages gatewayMessages,
            IntakeSettings settings, Clock clock, Runnable deliveryWakeUp) {
        this.agencies = lawfulness.agencies();
        this.policy = lawfulness.policy();
        this.consentEngine = lawfulness.consentEngine();
        this.minimizer = lawfulness.minimizer();
        this.dataSource = records.dataSource();
        this.store = records.store();
        this.audit = records.audit();
        this.provisions = records.provisions();
        this.pseudonyms = records.pseudonyms();
        this.ledger = ledger;
        this.gatewayMessages = gatewayMessages;
        this.settings = settings;
        this.clock = clock;
        this.deliveryWakeUp = deliveryWakeUp;
        this.reader = new MessageReader(settings.maxMessageBytes(), clock);
    }

    public Submission submit(byte[] body, String contentType, String clientAgency) {
        try {
            return process(body, contentType, clientAgency);
        } catch (RejectedException e) {
            return refuse(e.rejection(), null);
        } catch (StoreUnavailableException e) {
            return new Submission.StoreUnavailable();
        }
    }

    /**
     * Refuses a native record that could not become a message (a connector's mapping problem): audited like any
     * refusal, with the agency as actor and the mapping's code.
     */
    public Submission refuseUnmapped(String agencyId, String code, String title) {
        return refuseUnmapped(agencyId, 422, code, title);
    }

    /** The same with the HTTP status of the refusal (401 for a TLS client that is not the agency, or of no agency). */
    public Submission refuseUnmapped(String agencyId, int status, String code, String title) {
        try {
            inTransaction(c -> audit.append(c, AuditEvent.of(AuditAction.REJECTED, agencyId)
                    .withCode(code).withOutcome("rejected." + status)));
        } catch (StoreUnavailableException e) {
            return new Submission.StoreUnavailable();
        }
        return new Submission.Refused(Rejection.of(status, code, title));
    }

    /**
     * Audits a file a connector set aside unread (its name could not be handled): no message, the gateway as actor,
     * the outcome saying where the file went ({@code failed/<name of the gateway's making>}) or that it stayed.
     *
     * @throws StoreUnavailableException when the entry could not be written
     */
    public void auditFileSetAside(String code, String outcome) {
        inTransaction(c -> audit.append(c, AuditEvent.of(AuditAction.REJECTED, agencies.gateway().id())
                .withCode(code).withOutcome(outcome)));
    }

    /** Whether a message with this id was accepted before (how a connector recognises a re-delivered record). */
    public boolean isKnown(String messageId) {
        try {
            return inTransaction(c -> store.find(c, messageId).isPresent());
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    private Submission process(byte[] body, String contentType, String clientAgency) {
        if (body.length > settings.maxMessageBytes()) {
            throw new RejectedException(413, "message.too_large", "The message is larger than " + settings.maxMessageBytes() + " bytes.");
        }
        MessageFormat format = declaredFormat(contentType);
        if (body.length == 0 || safeDetect(body) != format) {
            throw new RejectedException(400, ProblemCode.MESSAGE_MALFORMED.code(), "The body is not " + format.mediaType() + ".");
        }
        // one parse and one canonical form (JSON) for the signature, the validation, the content hash and the provenance
        SignedJson json = format == MessageFormat.JSON ? parse(body) : null;
        VerifiedSignature signer = verify(body, json);
        Message message;
        try {
            message = json == null ? reader.read(body) : reader.readJson(body, json.tree());
        } catch (MessageRejectedException e) {
            // a consent that does not cover what the message carries is out of scope (403), not malformed (400)
            boolean outOfScope = OUT_OF_SCOPE.contains(e.code());
            throw new RejectedException(Rejection.of(outOfScope ? 403 : 400,
                    outOfScope ? "The consent does not cover this message." : "The message is not valid.", e));
        }
        try {
            return accept(json == null ? Original.ofXml(body) : Original.of(body, json), signer, message, clientAgency);
        } catch (RejectedException e) {
            return refuse(e.rejection(), message);
        }
    }

    private Submission accept(Original original, VerifiedSignature signer, Message message, String clientAgency) {
        if (!signer.agencyId().equals(message.getSender())) {
            throw new RejectedException(401, ProblemCode.SIGNATURE_SENDER_MISMATCH.code(), "The signing key is not registered to the sender.");
        }
        if (clientAgency != null && !clientAgency.equals(message.getSender())) {
            throw new RejectedException(401, "tls.client_not_sender", "The client certificate belongs to another agency than the sender.");
        }
        Agency sender = agencies.agency(message.getSender())
                .orElseThrow(() -> new RejectedException(403, "policy.unknown_sender", "The sender is not a registered agency."));
        if (sender.isSuspended()) { // 利用停止 in agencies.yaml: nothing is accepted from it
            throw new RejectedException(403, "agency.suspended", "The sending agency is suspended: nothing is accepted from it.");
        }
        Agency recipient = agencies.agency(message.getRecipient())
                .orElseThrow(() -> new RejectedException(403, "policy.unknown_recipient", "The recipient is not a registered agency."));
        OffsetDateTime now = OffsetDateTime.now(clock);
        Duration age = Duration.between(message.getCreatedAt().toInstant(), now.toInstant());
        if (age.compareTo(settings.replayWindow()) > 0) {
            throw new RejectedException(422, "message.outside_replay_window",
                    "createdAt is older than the replay window of " + settings.replayWindow() + ".");
        }
        IdempotencyCheck repeat = inTransaction(c -> store.checkRepeat(c, message.getMessageId(), original.contentSha256()));
        if (repeat.outcome() == IdempotencyCheck.Outcome.REPEAT && repeat.receipt() != null) {
            return new Submission.Repeat(repeat.receipt(), original.format());
        }
        if (repeat.outcome() == IdempotencyCheck.Outcome.CONFLICT) {
            throw new RejectedException(409, "message.conflict", "This messageId was already accepted with other content.");
        }
        Decision decision = consentEngine.decide(message, sender, recipient, now.toInstant());
        if (!decision.allowed()) {
            throw new RejectedException(new Rejection(403, decision.code(), decision.rule(),
                    decision.field().isEmpty() ? List.of() : List.of(Problem.of(ProblemCode.FIELD_INVALID, decision.field(), decision.rule()))));
        }
        return switch (message.getMessageType()) {
            case REFERRAL -> referral(original, message, decision, now);
            case STATUS_UPDATE -> statusUpdate(original, message, decision, now);
            case CONSENT_WITHDRAWAL -> withdrawal(message.getSender(), null, original, message, now);
            case RECEIPT -> throw new RejectedException(422, "message.type_not_accepted", "Receipts are written by the gateway, not submitted.");
        };
    }

    private Submission referral(Original original, Message message, Decision decision, OffsetDateTime now) {
        String gatewayId = agencies.gateway().id(); // the gateway's own entries name it as configured
        Minimized minimized;
        try {
            minimized = minimizer.minimize(message, decision);
        } catch (MinimizationRefusedException e) {
            throw new RejectedException(403, e.code(), e.rule());
        }
        String subjectRef = pseudonyms.subjectRef(message.getReferral().getSubject());
        GatewayMessages.Signed forward = gatewayMessages.forward(minimized.message(),
                Provenances.of(original, message.getMessageId(), message.getSender(), minimized),
                message.getRecipient(), original.format(), now);
        Set<DataCategory> forwarded = DataCategories.carriedBy(minimized.message()).keySet();
        Basis basis = message.getReferral().getBasis();
        String consentId = basis.getConsent() == null ? null : basis.getConsent().getConsentId();
        Instant consentExpiresAt = basis.getConsent() == null || basis.getConsent().getExpiresAt() == null ? null
                : basis.getConsent().getExpiresAt().toInstant();
        HouseholdProvisions members = HouseholdProvisions.of(message, minimized.message(), decision, pseudonyms);
        return commit(message, original, subjectRef, now, c -> {
            ledger.open(c, new ReferralLedger.Opening(message.getReferralId(), message.getSender(), message.getRecipient(),
                    message.getMessageId(), consentId, consentExpiresAt, subjectRef, members.consentUses()),
                    new ReferralLedger.Copy(forward.messageId(), message.getMessageId(), message.getRecipient(),
                            original.format(), forward.document()), now.toInstant());
            List<AuditEvent> events = new ArrayList<>();
            AuditEvent consentDecision = event(AuditAction.CONSENT_DECISION, gatewayId, message, subjectRef, forwarded, decision);
            if (decision.basis() == LegalBasis.SUPPORT_MEETING) { // the statute the meeting rests on, e.g. NEEDY_PERSONS_ACT_ART9
                consentDecision = consentDecision.withBasis(decision.basis(), policy.statuteOf(basis).map(Enum::name).orElse(null));
            }
            events.add(consentDecision
                    .withOutcome(Provenances.decisionOutcome(decision, message.getReferral())).withCode(decision.code()));
            if (minimized.changed()) {
                events.add(event(AuditAction.MINIMIZED, gatewayId, message, subjectRef, Set.copyOf(minimized.removed()), decision)
                        .withOutcome(Provenances.minimizedOutcome(minimized)));
            }
            events.add(event(AuditAction.FORWARD_SCHEDULED, gatewayId, message, subjectRef, forwarded, decision)
                    .withMessage(forward.messageId(), message.getReferralId()).withOutcome("to." + message.getRecipient()));
            audit.appendAll(c, events);
            provisions.record(c, new Provision(message.getSender(), message.getRecipient(), subjectRef, forwarded,
                    decision.basis(), basisReference(basis), forward.messageId(), message.getReferralId()));
            for (HouseholdProvisions.Member member : members.kept()) { // each person's own 提供記録
                provisions.record(c, new Provision(message.getSender(), message.getRecipient(), member.subjectRef(),
                        member.categories(), member.basis(), basisReference(member.basisOf()), forward.messageId(),
                        message.getReferralId()));
            }
        });
    }

    private Submission statusUpdate(Original original, Message message, Decision decision, OffsetDateTime now) {
        ReferralStatus next = message.getStatusUpdate().getStatus();
        String reason = message.getStatusUpdate().getReason() == null ? null : message.getStatusUpdate().getReason().name();
        return commit(message, original, null, now, c -> ledger.report(c,
                new ReferralLedger.Report(message.getReferralId(), message.getSender(), message.getRecipient(), next, reason,
                        message.getMessageId(), event(AuditAction.STATUS_CHANGED, message.getSender(), message, null,
                                DataCategories.carriedBy(message).keySet(), decision)),
                other -> copy(message, original, other, now), now.toInstant()));
    }

    /**
     * 同意の撤回: only a holder of the consent or the hub may withdraw it; every copy under it not yet on the wire is
     * stopped, the referrals whose copy was stopped are cancelled (their senders told), and each agency that already
     * received data under it is told. The referral ledger does all of it, for a withdrawal message and for one recorded
     * at a counter alike.
     *
     * @param actor who is recorded as withdrawing: the sending agency, or the console account of a counter withdrawal
     * @param code  the audit code of the withdrawal entry (null for a message; {@code counter:<reason>} at a counter)
     */
    private Submission withdrawal(String actor, String code, Original original, Message message, OffsetDateTime now) {
        String consentId = message.getConsentWithdrawal().getConsentId();
        return commit(actor, message, original, null, now, c -> ledger.withdraw(c,
                new ReferralLedger.Withdrawal(consentId, message.getConsentWithdrawal().getWithdrawnAt().toInstant(),
                        message.getMessageId(), message.getReferralId(), message.getSender(),
                        AuditEvent.of(AuditAction.CONSENT_WITHDRAWN, actor)
                                .withMessage(message.getMessageId(), message.getReferralId()).withCode(code)),
                recipient -> copy(message, original, recipient, now), now.toInstant()));
    }

    /**
     * 窓口での撤回: a withdrawal the person made at an agency's counter, recorded in the console by an administrator.
     *
     * @param consentId   the consent withdrawn
     * @param withdrawnAt when the person withdrew it
     * @param recordedBy  the agency at whose counter it was made: the one who withdraws, under the same rule as the
     *                    sender of a withdrawal message (a holder of the consent, or the hub)
     * @param account     the console account that records it (the actor of the audit entries)
     * @param reason      why it is recorded here, a code (e.g. {@code in_person})
     */
    public record CounterWithdrawal(String consentId, Instant withdrawnAt, String recordedBy, ConsentMethod method,
                                    String account, String reason) {
    }

    /**
     * Records a counter withdrawal with exactly the rules and effects of a withdrawal message from {@code recordedBy}:
     * the gateway writes that message (signed with its own key, so the copies' provenance names the gateway as
     * signer), reads it with the same validation as any message, refuses it if the agency is unknown or suspended,
     * and hands it to the one withdrawal path above. Refusals are audited with the account as actor. Only the route
     * check of policy.yaml does not apply: nothing travels from the agency to the gateway here.
     */
    public Submission withdrawAtCounter(CounterWithdrawal w) {
        Message message = null;
        try {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Agency counter = agencies.agency(w.recordedBy())
                    .orElseThrow(() -> new RejectedException(403, "policy.unknown_sender", "The sender is not a registered agency."));
            if (counter.isSuspended()) {
                throw new RejectedException(403, "agency.suspended", "The agency is suspended: nothing is accepted from it.");
            }
            String referralId = inTransaction(c -> store.lastReferralUnderConsent(c, w.consentId()))
                    // no referral travelled under it: a header id of the schema's identifier pattern, held by no referral
                    .orElse(String.format(java.util.Locale.ROOT, "WDR-%d-%06d", now.getYear(),
                            java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000)));
            byte[] body = gatewayMessages.counterWithdrawal(w, referralId, agencies.gateway().id(), now);
            SignedJson json = SignedJson.parse(body);
            try {
                message = reader.readJson(body, json.tree());
            } catch (MessageRejectedException e) {
                throw new RejectedException(new Rejection(422, e.code().code(), "The withdrawal is not valid.", e.problems()));
            }
            return withdrawal(w.account(), "counter:" + w.reason(), Original.of(body, json), message, now);
        } catch (RejectedException e) {
            return refuse(w.account(), e.rejection(), message);
        } catch (StoreUnavailableException e) {
            return new Submission.StoreUnavailable();
        }
    }

    /** The gateway-signed copy of an accepted message for one recipient, with its provenance. */
    private ReferralLedger.Copy copy(Message message, Original original, String recipient, OffsetDateTime now) {
        GatewayMessages.Signed signed = gatewayMessages.forward(message,
                Provenances.of(original, message.getMessageId(), message.getSender(), List.of()), recipient,
                original.format(), now);
        return new ReferralLedger.Copy(signed.messageId(), message.getMessageId(), recipient, original.format(),
                signed.document());
    }

    /** Message, the type-specific rows, the ACCEPTED entry and the receipt: one transaction, before the answer. */
    private Submission commit(Message message, Original original, String subjectRef, OffsetDateTime now, Work work) {
        return commit(message.getSender(), message, original, subjectRef, now, work);
    }

    /** The same with {@code actor} as the actor of the ACCEPTED entry. */
    private Submission commit(String actor, Message message, Original original, String subjectRef, OffsetDateTime now,
            Work work) {
        byte[] receipt = inTransaction(c -> {
            // the ACCEPTED entry first: its number is the receipt's auditSeq, so the message row is written once,
            // receipt included (the entry refers to the message by id only; all of it commits together or not at all)
            AuditChain.Appended accepted = audit.append(c, AuditEvent.of(AuditAction.ACCEPTED, actor)
                    .withMessage(message.getMessageId(), message.getReferralId())
                    .withSubject(subjectRef)
                    .withCategories(DataCategories.carriedBy(message).keySet())
                    .withOutcome("accepted"));
            byte[] signedReceipt = gatewayMessages.receipt(message, accepted.id(), now, original.format());
            store.saveMessage(c, StoredMessage.accepted(message.getMessageId(), message.getMessageType(), message.getSender(),
                    message.getRecipient(), message.getReferralId(), now.toInstant(), original.contentSha256(),
                    original.format(), original.body(), signedReceipt));
            try {
                work.run(c);
            } catch (ReferralRefusedException e) {
                throw new RejectedException(e.status(), e.code(), e.getMessage());
            }
            return signedReceipt;
        });
        deliveryWakeUp.run();
        return new Submission.Accepted(receipt, original.format());
    }

    /** Audits the refusal (its own transaction) and answers it. */
    private Submission refuse(Rejection rejection, Message message) {
        return refuse(message == null ? "unknown" : message.getSender(), rejection, message);
    }

    private Submission refuse(String actor, Rejection rejection, Message message) {
        try {
            AuditEvent event = AuditEvent.of(AuditAction.REJECTED, actor)
                    .withCode(rejection.code()).withOutcome("rejected." + rejection.status());
            if (message != null) {
                event = event.withMessage(message.getMessageId(), message.getReferralId());
            }
            AuditEvent entry = event;
            inTransaction(c -> audit.append(c, entry));
        } catch (StoreUnavailableException e) {
            return new Submission.StoreUnavailable();
        }
        return new Submission.Refused(rejection);
    }

    /** The body as a JSON tree, refused as the signature check refuses what it cannot read. */
    private static SignedJson parse(byte[] body) {
        try {
            return SignedJson.parse(body);
        } catch (MessageRejectedException e) {
            throw signatureRejection(e);
        }
    }

    /** The signer of a JSON message ({@code json} its parse) or of an XML one ({@code json} null). */
    private VerifiedSignature verify(byte[] body, SignedJson json) {
        try {
            return json == null ? MessageSignatures.verify(body, agencies.currentKeys())
                    : JsonSignatures.verify(json, agencies.currentKeys());
        } catch (MessageRejectedException e) {
            throw signatureRejection(e);
        }
    }

    private static RejectedException signatureRejection(MessageRejectedException e) {
        int status = e.code().isSignatureProblem() ? 401 : 400;
        return new RejectedException(Rejection.of(status,
                status == 401 ? "The signature is missing or invalid." : "The message is not well-formed.", e));
    }

    private static MessageFormat declaredFormat(String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> MessageFormat.JSON;
            case "application/xml", "text/xml" -> MessageFormat.XML;
            default -> throw new RejectedException(415, "message.unsupported_media_type",
                    "Send application/json or application/xml.");
        };
    }

    private static MessageFormat safeDetect(byte[] body) {
        try {
            return MessageFormat.detect(body);
        } catch (MessageRejectedException e) {
            return null;
        }
    }

    private static AuditEvent event(AuditAction action, String actor, Message message, String subjectRef,
            Set<DataCategory> categories, Decision decision) {
        AuditEvent event = AuditEvent.of(action, actor).withMessage(message.getMessageId(), message.getReferralId())
                .withSubject(subjectRef).withCategories(categories);
        return decision.basis() == null ? event : event.withBasis(decision.basis(), null);
    }

    private static String basisReference(Basis basis) {
        if (basis == null) {
            return null;
        }
        if (basis.getConsent() != null) {
            return basis.getConsent().getConsentId();
        }
        return basis.getSupportMeeting() != null ? basis.getSupportMeeting().getMeetingId() : null;
    }

    private <T> T inTransaction(SqlWork<T> work) {
        try {
            return Transactions.inTransaction(dataSource, work);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }
}
