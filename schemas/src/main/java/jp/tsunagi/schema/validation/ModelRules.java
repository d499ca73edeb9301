package jp.tsunagi.schema.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.LocalGovernmentCode;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Consent;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.VitalInterest;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.Referral;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.model.StatusUpdate;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Layers 3 and 4, on the model: field rules (the Bean Validation constraints generated from the XSD, then what an
 * XSD cannot say: the check digit of local government codes, dates that cannot lie in the future) and cross-field
 * rules (body matches type, a consent names every category carried, a statutory basis is complete).
 * Works the same on a model parsed from JSON or XML and on one a vendor built in Java.
 */
public final class ModelRules {
    /** Clocks of municipal systems drift; a few minutes ahead is not "in the future" (the consent engine agrees). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * The shortest justification of a vital-interest basis, in characters: the XSD's minLength of Justification,
     * read from the constraint generated from it, so the schema stays its one owner.
     */
    public static final int MIN_JUSTIFICATION = minJustification();
    private static final Validator BEAN_VALIDATOR = beanValidator();

    private final Clock clock;

    public ModelRules(Clock clock) {
        this.clock = clock;
    }

    public ModelRules() {
        this(Clock.systemDefaultZone());
    }

    public List<Problem> check(Message message) {
        List<Problem> problems = new ArrayList<>(beanValidation(message));
        fieldRules(message, problems);
        crossFieldRules(message, problems);
        CodeListDuplicates.find(message, "", problems);
        return problems;
    }

    private static int minJustification() {
        try {
            return VitalInterest.class.getDeclaredField("justification").getAnnotation(Size.class).min();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("the generated VitalInterest has no justification", e);
        }
    }

    private static List<Problem> beanValidation(Message message) {
        Set<ConstraintViolation<Message>> violations = BEAN_VALIDATOR.validate(message);
        return violations.stream()
                .map(v -> Problem.of(codeOf(v.getConstraintDescriptor().getAnnotation()), pointer(v.getPropertyPath()),
                        v.getMessage()))
                .sorted(Comparator.comparing(Problem::path))
                .toList();
    }

    private static ProblemCode codeOf(Annotation constraint) {
        return switch (constraint.annotationType().getSimpleName()) {
            case "NotNull" -> ProblemCode.FIELD_REQUIRED;
            case "Pattern" -> ProblemCode.FIELD_PATTERN;
            case "Size" -> ProblemCode.FIELD_SIZE;
            case "DecimalMin", "DecimalMax", "Min", "Max" -> ProblemCode.FIELD_RANGE;
            default -> ProblemCode.FIELD_INVALID;
        };
    }

    /** Field names of the model are the JSON member names, so the property path is a JSON Pointer. */
    static String pointer(Path path) {
        StringBuilder pointer = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getIndex() != null) {
                pointer.append('/').append(node.getIndex());
            }
            if (node.getName() != null) {
                pointer.append('/').append(node.getName());
            }
        }
        return pointer.toString();
    }

    private void fieldRules(Message m, List<Problem> problems) {
        LocalDate today = LocalDate.now(clock);
        OffsetDateTime now = OffsetDateTime.now(clock).plus(CLOCK_SKEW);
        notAfter(m.getCreatedAt(), now, "/createdAt", problems);
        Referral r = m.getReferral();
        if (r != null && r.getSubject() != null) {
            notAfter(r.getSubject().getBirthDate(), today, "/referral/subject/birthDate", problems);
            if (r.getSubject().getAddress() != null) {
                String code = r.getSubject().getAddress().getMunicipalityCode();
                if (code != null && !LocalGovernmentCode.isValid(code)) {
                    problems.add(Problem.of(ProblemCode.FIELD_MUNICIPALITY_CODE,
                            "/referral/subject/address/municipalityCode",
                            "not a valid local government code (prefecture 01-47 and check digit)"));
                }
            }
            List<HouseholdMember> household = r.getHousehold();
            for (int i = 0; i < household.size(); i++) {
                notAfter(household.get(i).getBirthDate(), today, "/referral/household/" + i + "/birthDate", problems);
            }
            Consent consent = r.getBasis() == null ? null : r.getBasis().getConsent();
            if (consent != null) {
                notAfter(consent.getObtainedAt(), now, "/referral/basis/consent/obtainedAt", problems);
            }
        }
        if (m.getStatusUpdate() != null) {
            notAfter(m.getStatusUpdate().getEffectiveAt(), now, "/statusUpdate/effectiveAt", problems);
        }
        if (m.getConsentWithdrawal() != null) {
            notAfter(m.getConsentWithdrawal().getWithdrawnAt(), now, "/consentWithdrawal/withdrawnAt", problems);
        }
        if (m.getReceipt() != null) {
            notAfter(m.getReceipt().getReceivedAt(), now, "/receipt/receivedAt", problems);
        }
    }

    private static <T extends Comparable<? super T>> void notAfter(T value, T limit, String pointer, List<Problem> problems) {
        if (value != null && value.compareTo(limit) > 0) {
            problems.add(Problem.of(ProblemCode.FIELD_DATE_IN_FUTURE, pointer, "cannot be in the future"));
        }
    }

    private static void notAfter(OffsetDateTime value, OffsetDateTime limit, String pointer, List<Problem> problems) {
        if (value != null && value.isAfter(limit)) {
            problems.add(Problem.of(ProblemCode.FIELD_DATE_IN_FUTURE, pointer, "cannot be in the future"));
        }
    }

    private static void crossFieldRules(Message m, List<Problem> problems) {
        bodyMatchesType(m, problems);
        Referral r = m.getReferral();
        if (r != null && r.getBasis() != null) {
            basis(m, r.getBasis(), problems);
        }
        StatusUpdate update = m.getStatusUpdate();
        if (update != null && update.getReason() == null
                && (update.getStatus() == ReferralStatus.DECLINED || update.getStatus() == ReferralStatus.FAILED)) {
            problems.add(Problem.of(ProblemCode.STATUS_REASON_REQUIRED, "/statusUpdate/reason",
                    update.getStatus() + " needs a reason"));
        }
    }

    private static void bodyMatchesType(Message m, List<Problem> problems) {
        List<MessageType> bodies = new ArrayList<>();
        if (m.getReferral() != null) {
            bodies.add(MessageType.REFERRAL);
        }
        if (m.getStatusUpdate() != null) {
            bodies.add(MessageType.STATUS_UPDATE);
        }
        if (m.getConsentWithdrawal() != null) {
            bodies.add(MessageType.CONSENT_WITHDRAWAL);
        }
        if (m.getReceipt() != null) {
            bodies.add(MessageType.RECEIPT);
        }
        if (bodies.size() != 1 || bodies.get(0) != m.getMessageType()) {
            problems.add(Problem.of(ProblemCode.BODY_MISMATCH, "/messageType",
                    "a " + m.getMessageType() + " message needs exactly one body of that type, found " + bodies));
        }
    }

    private static void basis(Message m, Basis basis, List<Problem> problems) {
        Consent consent = basis.getConsent();
        if (consent != null) {
            List<Problem> notNamed = new ArrayList<>();
            for (Map.Entry<DataCategory, String> carried : DataCategories.carriedBy(m).entrySet()) {
                if (!consent.getDataCategories().contains(carried.getKey())) {
                    notNamed.add(Problem.of(notNamedCode(carried.getKey()), carried.getValue(),
                            "carries " + carried.getKey() + " (" + CodeLists.label(carried.getKey())
                                    + "), which the consent does not name"));
                }
            }
            // the strictest rule first, as the consent engine decides: tax secrecy, then special-care information
            List<ProblemCode> strictestFirst = List.of(ProblemCode.CONSENT_TAX_REQUIRES_CONSENT,
                    ProblemCode.CONSENT_SENSITIVE_NOT_NAMED, ProblemCode.CONSENT_CATEGORY_MISSING);
            notNamed.sort(Comparator.comparing(p -> strictestFirst.indexOf(p.code())));
            problems.addAll(notNamed);
            if (consent.getExpiresAt() != null && consent.getObtainedAt() != null
                    && !consent.getExpiresAt().isAfter(consent.getObtainedAt())) {
                problems.add(Problem.of(ProblemCode.CONSENT_PERIOD_INVALID, "/referral/basis/consent/expiresAt",
                        "expires before it was obtained"));
            }
        }
        if (basis.getSupportMeeting() != null && isBlank(basis.getSupportMeeting().getMeetingId())) {
            problems.add(Problem.of(ProblemCode.BASIS_INCOMPLETE, "/referral/basis/supportMeeting/meetingId",
                    "a support meeting basis names its meeting"));
        }
        if (basis.getVitalInterest() != null) {
            String justification = basis.getVitalInterest().getJustification();
            if (isBlank(justification) || justification.strip().length() < MIN_JUSTIFICATION) {
                problems.add(Problem.of(ProblemCode.BASIS_INCOMPLETE, "/referral/basis/vitalInterest/justification",
                        "a vital-interest basis is justified in at least " + MIN_JUSTIFICATION + " characters"));
            }
        }
    }

    /** Tax information and special-care information not named have their own codes (docs/policy.md). */
    static ProblemCode notNamedCode(DataCategory category) {
        if (category == DataCategory.TAX_ARREARS) {
            return ProblemCode.CONSENT_TAX_REQUIRES_CONSENT;
        }
        return DataCategories.SENSITIVE.contains(category) ? ProblemCode.CONSENT_SENSITIVE_NOT_NAMED
                : ProblemCode.CONSENT_CATEGORY_MISSING;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static Validator beanValidator() {
        ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        return factory.getValidator();
    }
}
