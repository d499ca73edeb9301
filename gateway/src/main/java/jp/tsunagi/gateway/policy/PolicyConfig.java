package jp.tsunagi.gateway.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.connectors.config.StrictYaml;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.MessageType;

/**
 * The sharing policy (連携ポリシー) of a municipality, read from {@code conf/policy.yaml}: which flows between agency
 * types are allowed (message types, and for referrals the lawful bases), the most each recipient agency type may
 * receive (最小化の上限, the minimization ceiling), and the registered support meetings (支援会議).
 * Anything the file does not allow is refused.
 *
 * <p>The file is read strictly: an unknown or repeated key, a value outside the code lists, or an inconsistent entry
 * is refused with an {@link IllegalArgumentException} whose message names the file and the line, one line per problem.
 */
public final class PolicyConfig {
    /** The file name inside a configuration directory. */
    public static final String FILE_NAME = "policy.yaml";

    private static final String WHAT_IT_NEEDS = "it needs the sections flows, ceilings and supportMeetings";
    private static final Pattern FLOW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
    /** The forms of {@code Identifier} and {@code AgencyId} of the message schema. */
    private static final Pattern MEETING_ID = Pattern.compile(jp.tsunagi.schema.TsunagiSchema.IDENTIFIER_PATTERN);
    private static final Pattern AGENCY_ID = Pattern.compile("[a-z0-9][a-z0-9\\-]{1,62}");

    private final Path source;
    private final StrictYaml file;
    private final List<AllowedFlow> flows;
    private final Map<AgencyType, Set<DataCategory>> ceilings;
    private final Map<String, RegisteredSupportMeeting> meetings;

    private PolicyConfig(Path source, StrictYaml file, PolicyFile content) {
        this.source = source;
        this.file = file;
        this.flows = content.flows();
        Map<AgencyType, Set<DataCategory>> byType = new EnumMap<>(AgencyType.class);
        content.ceilings().forEach((type, categories) -> byType.put(type, categories.isEmpty()
                ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(categories))));
        this.ceilings = Collections.unmodifiableMap(byType);
        Map<String, RegisteredSupportMeeting> byId = new LinkedHashMap<>();
        content.supportMeetings().forEach(m -> byId.put(m.id(), m));
        this.meetings = Collections.unmodifiableMap(byId);
    }

    /** {@code policy.yaml} of a configuration directory. */
    public static PolicyConfig inConfDirectory(Path confDirectory) {
        return load(confDirectory.resolve(FILE_NAME));
    }

    public static PolicyConfig load(Path file) {
        try {
            return read(Files.readAllBytes(file), file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The YAML content of a file; {@code source} only names it in problems. */
    public static PolicyConfig read(byte[] yaml, Path source) {
        StrictYaml file = StrictYaml.scan(source, yaml, WHAT_IT_NEEDS);
        PolicyFile content = file.bind(yaml, PolicyFile.class);
        new Check(file).check(content);
        return new PolicyConfig(source, file, content);
    }

    public Path source() {
        return source;
    }

    /** Every flow, in the order of the file. */
    public List<AllowedFlow> flows() {
        return flows;
    }

    /** The flows from one agency type to another; empty when the route is not allowed at all. */
    public List<AllowedFlow> flowsBetween(AgencyType sender, AgencyType recipient) {
        return flows.stream().filter(f -> f.connects(sender, recipient)).toList();
    }

    /** The most an agency of this type may receive (最小化の上限); empty for a type the file does not list. */
    public Set<DataCategory> ceiling(AgencyType recipient) {
        return ceilings.getOrDefault(recipient, Set.of());
    }

    public Optional<RegisteredSupportMeeting> supportMeeting(String meetingId) {
        return Optional.ofNullable(meetingId == null ? null : meetings.get(meetingId));
    }

    /**
     * The statute of the registered support meeting a basis names (what the consent decision's audit entry records);
     * empty for any other basis or an unregistered meeting.
     */
    public Optional<RegisteredSupportMeeting.Statute> statuteOf(Basis basis) {
        return basis == null || basis.getSupportMeeting() == null ? Optional.empty()
                : supportMeeting(basis.getSupportMeeting().getMeetingId()).map(RegisteredSupportMeeting::basis);
    }

    public List<RegisteredSupportMeeting> supportMeetings() {
        return List.copyOf(meetings.values());
    }

    /**
     * What does not fit the agency registry: support meeting members that are not registered agencies (a meeting
     * then silently lacks a member, or a typo admits no one). One line per problem, naming the file and the line;
     * empty when consistent.
     */
    public List<String> validate(AgencyDirectory agencies) {
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (RegisteredSupportMeeting meeting : meetings.values()) {
            for (int j = 0; j < meeting.members().size(); j++) {
                String member = meeting.members().get(j);
                if (agencies.agency(member).isEmpty()) {
                    problems.add(file.at("/supportMeetings/" + i + "/members/" + j) + "support meeting \"" + meeting.id()
                            + "\": member \"" + member + "\" is not an agency registered in " + agencies.source());
                }
            }
            i++;
        }
        return problems;
    }

    /** The top level of the file. */
    record PolicyFile(List<AllowedFlow> flows, Map<AgencyType, List<DataCategory>> ceilings,
                      List<RegisteredSupportMeeting> supportMeetings) {
        PolicyFile {
            flows = StrictYaml.copy(flows);
            Map<AgencyType, List<DataCategory>> copied = new LinkedHashMap<>();
            if (ceilings != null) {
                ceilings.forEach((type, categories) -> copied.put(type, StrictYaml.copy(categories)));
            }
            ceilings = Collections.unmodifiableMap(copied);
            supportMeetings = StrictYaml.copy(supportMeetings);
        }
    }

    /** The rules a bound file must follow; collects every problem, one line each. */
    private static final class Check {
        private final StrictYaml file;
        private final List<String> problems = new ArrayList<>();

        Check(StrictYaml file) {
            this.file = file;
        }

        void check(PolicyFile content) {
            if (content.flows().isEmpty()) {
                problem("", "no flows: the \"flows\" section lists at least one allowed flow (everything else is refused)");
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < content.flows().size(); i++) {
                flow("/flows/" + i, i, content.flows().get(i), ids, content.ceilings());
            }
            content.ceilings().forEach((type, categories) -> {
                String at = "/ceilings/" + type.name();
                noEmptyOrRepeated(at, "ceiling of " + type, categories);
            });
            Set<String> meetingIds = new HashSet<>();
            for (int i = 0; i < content.supportMeetings().size(); i++) {
                meeting("/supportMeetings/" + i, i, content.supportMeetings().get(i), meetingIds);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
            }
        }

        private void flow(String at, int index, AllowedFlow flow, Set<String> ids,
                          Map<AgencyType, List<DataCategory>> ceilings) {
            if (flow == null) {
                problem(at, "flows[" + index + "] is empty");
                return;
            }
            String who = flow.id() == null || flow.id().isBlank() ? "flows[" + index + "]" : "flow \"" + flow.id() + "\"";
            if (flow.id() == null || flow.id().isBlank()) {
                problem(at, who + ": missing \"id\" (a short name such as F1, shown in every decision)");
            } else if (!FLOW_ID.matcher(flow.id()).matches()) {
                problem(at + "/id", who + ": the id is letters, digits, '.', '_' and '-', up to 64 characters");
            } else if (!ids.add(flow.id())) {
                problem(at + "/id", who + ": the id is used twice");
            }
            if (flow.from() == null) {
                problem(at, who + ": missing \"from\" (the sending agency type)");
            }
            if (flow.to().isEmpty()) {
                problem(at, who + ": \"to\" lists at least one receiving agency type");
            }
            if (flow.messageTypes().isEmpty()) {
                problem(at, who + ": \"messageTypes\" lists at least one of REFERRAL, STATUS_UPDATE, CONSENT_WITHDRAWAL, RECEIPT");
            }
            noEmptyOrRepeated(at + "/to", who + " to", flow.to());
            noEmptyOrRepeated(at + "/messageTypes", who + " messageTypes", flow.messageTypes());
            noEmptyOrRepeated(at + "/bases", who + " bases", flow.bases());
            boolean referrals = flow.messageTypes().contains(MessageType.REFERRAL);
            if (referrals && flow.bases().isEmpty()) {
                problem(at, who + ": carries REFERRAL, so \"bases\" lists at least one of CONSENT, SUPPORT_MEETING, VITAL_INTEREST");
            } else if (!referrals && !flow.bases().isEmpty()) {
                problem(at + "/bases", who + ": \"bases\" apply to REFERRAL only (the other message types follow their referral);"
                        + " remove them or add REFERRAL");
            }
            for (AgencyType recipient : flow.to()) {
                if (recipient == null) {
                    continue;
                }
                List<DataCategory> ceiling = ceilings.get(recipient);
                if (ceiling == null) {
                    problem(at + "/to", who + ": sends to " + recipient + ", which has no entry under \"ceilings\""
                            + " (the data categories it may receive)");
                } else if (referrals && !ceiling.containsAll(DataCategories.REQUIRED_IN_REFERRAL)) {
                    problem("/ceilings/" + recipient.name(), "ceiling of " + recipient + ": it receives referrals (" + who
                            + "), so it must include IDENTITY and ISSUES, which every referral carries");
                }
            }
        }

        private void meeting(String at, int index, RegisteredSupportMeeting meeting, Set<String> ids) {
            if (meeting == null) {
                problem(at, "supportMeetings[" + index + "] is empty");
                return;
            }
            String who = meeting.id() == null || meeting.id().isBlank()
                    ? "supportMeetings[" + index + "]" : "support meeting \"" + meeting.id() + "\"";
            if (meeting.id() == null || meeting.id().isBlank()) {
                problem(at, who + ": missing \"id\" (the meetingId that messages name)");
            } else if (!MEETING_ID.matcher(meeting.id()).matches()) {
                problem(at + "/id", who + ": the id is a record number such as SM-2026-0001 (2-4 capital letters, the year 20YY, 1-6 digits)");
            } else if (!ids.add(meeting.id())) {
                problem(at + "/id", who + ": the id is used twice");
            }
            if (meeting.name() == null || meeting.name().isBlank()) {
                problem(at, who + ": missing \"name\"");
            }
            if (meeting.basis() == null) {
                problem(at, who + ": missing \"basis\", the statute that lets its members share without consent: "
                        + statutes() + "; a meeting without one (e.g. a 重層的支援会議) needs consent and is not registered here");
            }
            if (meeting.members().size() < 2) {
                problem(at, who + ": \"members\" lists at least two agency ids");
            }
            noEmptyOrRepeated(at + "/members", who + " members", meeting.members());
            for (int j = 0; j < meeting.members().size(); j++) {
                String member = meeting.members().get(j);
                if (member != null && !AGENCY_ID.matcher(member).matches()) {
                    problem(at + "/members/" + j, who + ": member \"" + member
                            + "\" is not an agency id (lower-case letters, digits and '-')");
                }
            }
        }

        private static String statutes() {
            return Arrays.stream(RegisteredSupportMeeting.Statute.values()).map(s -> s.name() + " " + s.law())
                    .collect(Collectors.joining(" or "));
        }

        private void noEmptyOrRepeated(String at, String what, List<?> values) {
            for (int j = 0; j < values.size(); j++) {
                if (values.get(j) == null) {
                    problem(at + "/" + j, what + ": item " + (j + 1) + " is empty");
                } else if (values.indexOf(values.get(j)) != j) {
                    problem(at + "/" + j, what + ": " + values.get(j) + " is listed twice");
                }
            }
        }

        private void problem(String pointer, String text) {
            problems.add(file.at(pointer) + text);
        }
    }
}
