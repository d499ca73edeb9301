package jp.tsunagi.gateway.config;

import jp.tsunagi.connectors.config.StrictYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jp.tsunagi.schema.LocalGovernmentCode;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.Pem;

/**
 * The agency registry (関係機関の登録簿), read from {@code conf/agencies.yaml}: which agencies exist, who they are,
 * which public keys speak for them, how they are reached and what they accept; and the gateway's own identity.
 *
 * <p>The file is read strictly: an unknown or repeated key, an unknown agency type or message type, a local government
 * code with a wrong check digit, a repeated id or kid, a kid not of the form {@code <id>#<n>}, or a suspension without a
 * date ({@code since}) or {@code reason} is refused with an
 * {@link IllegalArgumentException} whose message names the file and, where known, the line; one line per problem.
 */
public final class AgencyDirectory {
    /** The file name inside a configuration directory. */
    public static final String FILE_NAME = "agencies.yaml";

    /** The same form as {@code AgencyId} of the message schema. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9\\-]{1,62}");
    private static final Pattern KID = Pattern.compile("([a-z0-9][a-z0-9\\-]{1,62})#([1-9][0-9]{0,8})");
    private static final Pattern CONNECTOR_KIND = Pattern.compile("[a-z][a-z0-9\\-]{0,30}");

    private final Path source;
    private final Path baseDirectory;
    private final GatewayIdentity gateway;
    private final Map<String, Agency> agencies;
    /** Every registered key by kid (kids are unique), and the keys read from their PEM files so far, by file. */
    private final Map<String, AgencyKey> keysByKid = new HashMap<>();
    private final Map<Path, ReadKey> readKeys = new ConcurrentHashMap<>();

    private AgencyDirectory(Path source, Path baseDirectory, GatewayIdentity gateway, List<Agency> agencies) {
        this.source = source;
        this.baseDirectory = baseDirectory;
        this.gateway = gateway;
        Map<String, Agency> byId = new LinkedHashMap<>();
        agencies.forEach(a -> byId.put(a.id(), a));
        this.agencies = Collections.unmodifiableMap(byId);
        gateway.keys().forEach(k -> keysByKid.put(k.kid(), k));
        agencies.forEach(a -> a.keys().forEach(k -> keysByKid.put(k.kid(), k)));
    }

    /** {@code agencies.yaml} of a configuration directory, PEM paths relative to the working directory. */
    public static AgencyDirectory inConfDirectory(Path confDirectory) {
        return load(confDirectory.resolve(FILE_NAME));
    }

    /** The file, PEM paths relative to the working directory. */
    public static AgencyDirectory load(Path file) {
        return load(file, Path.of("").toAbsolutePath());
    }

    /** The file, relative PEM paths resolved against {@code baseDirectory}. */
    public static AgencyDirectory load(Path file, Path baseDirectory) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        StrictYaml yaml = StrictYaml.scan(file, bytes, "it needs the sections gateway and agencies");
        AgenciesFile content = yaml.bind(bytes, AgenciesFile.class);
        new Check(yaml).check(content);
        return new AgencyDirectory(file, baseDirectory, content.gateway(), content.agencies());
    }

    /** The file this directory was read from. */
    public Path source() {
        return source;
    }

    public GatewayIdentity gateway() {
        return gateway;
    }

    /** Every agency, in the order of the file. */
    public List<Agency> agencies() {
        return List.copyOf(agencies.values());
    }

    /** The agencies suspended (利用停止), in the order of the file. */
    public List<Agency> suspended() {
        return agencies.values().stream().filter(Agency::isSuspended).toList();
    }

    /** The ids of the suspended agencies: copies to them are held. */
    public Set<String> suspendedIds() {
        return suspended().stream().map(Agency::id).collect(Collectors.toUnmodifiableSet());
    }

    public Optional<Agency> agency(String id) {
        return Optional.ofNullable(agencies.get(id));
    }

    /** Whether the id is the gateway's. */
    public boolean isGateway(String id) {
        return gateway.id().equals(id);
    }

    /**
     * The kid an agency (or the gateway) signs with: the first of its keys.
     *
     * @throws IllegalArgumentException when the id is neither a registered agency nor the gateway
     */
    public String signingKid(String agencyId) {
        if (isGateway(agencyId)) {
            return gateway.keys().get(0).kid();
        }
        Agency agency = agencies.get(agencyId);
        if (agency == null) {
            throw new IllegalArgumentException("unknown agency \"" + agencyId + "\": it is not registered in " + source
                    + " (registered: " + String.join(", ", agencies.keySet()) + ")");
        }
        return agency.keys().get(0).kid();
    }

    /**
     * The registered public keys of every agency and of the gateway, by kid, read now from their PEM files.
     * A kid whose PEM file does not exist (keys not yet created) is unknown to the resolver.
     *
     * @throws IllegalArgumentException when a PEM file exists but holds no readable public key
     */
    public KeyResolver keyResolver() {
        return keyResolver(Instant.now());
    }

    /** The same, without the keys retired at that time ({@link AgencyKey#retires()}: the grace period of a rotation is over). */
    public KeyResolver keyResolver(Instant now) {
        Map<String, PublicKey> keys = new HashMap<>();
        List<AgencyKey> all = new ArrayList<>(gateway.keys());
        agencies.values().forEach(a -> all.addAll(a.keys()));
        for (AgencyKey key : all) {
            Path pem = resolve(key.pem());
            if (key.acceptedAt(now) && Files.isRegularFile(pem)) {
                keys.put(key.kid(), Pem.readPublicKey(pem));
            }
        }
        return KeyResolver.of(keys);
    }

    /**
     * The keys {@link #keyResolver()} finds, each read from its PEM file when a signature names it: the file is read
     * every time and parsed again only when its content changed (the intake asks for a key with every message:
     * parsing every PEM file of the registry each time cost CPU, and a fresh key object each time its precomputation).
     * The time is that of the lookup.
     *
     * @throws IllegalArgumentException from a lookup, when the PEM file of that kid holds no readable public key
     */
    public KeyResolver currentKeys() {
        return this::currentKey;
    }

    private Optional<PublicKey> currentKey(String kid) {
        AgencyKey key = keysByKid.get(kid);
        if (key == null || !key.acceptedAt(Instant.now())) {
            return Optional.empty();
        }
        Path pem = resolve(key.pem());
        if (!Files.isRegularFile(pem)) {
            return Optional.empty(); // keys not yet created: unknown, as in keyResolver()
        }
        byte[] content;
        try {
            content = Files.readAllBytes(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        }
        ReadKey read = readKeys.get(pem);
        if (read == null || !Arrays.equals(read.content(), content)) {
            read = new ReadKey(content, Pem.readPublicKey(pem));
            readKeys.put(pem, read);
        }
        return Optional.of(read.key());
    }

    /** A public key and the PEM file content it was read from. */
    private record ReadKey(byte[] content, PublicKey key) {
    }

    /** A path of the file (a PEM path) as the gateway opens it. */
    public Path resolve(Path path) {
        return baseDirectory.resolve(path);
    }

    /** A null-tolerant unmodifiable copy, so that an empty YAML list item is reported as a problem, not an NPE. */
    static <T> List<T> copy(List<T> list) {
        return StrictYaml.copy(list);
    }

    /** The top level of the file. */
    record AgenciesFile(GatewayIdentity gateway, List<Agency> agencies) {
        AgenciesFile {
            agencies = copy(agencies);
        }
    }

    /** The rules a bound file must follow; collects every problem, one line each. */
    private static final class Check {
        private final StrictYaml file;
        private final List<String> problems = new ArrayList<>();
        private final Set<String> kids = new HashSet<>();

        Check(StrictYaml file) {
            this.file = file;
        }

        void check(AgenciesFile content) {
            GatewayIdentity gateway = content.gateway();
            if (gateway == null) {
                problem("", "missing the \"gateway\" section (id, name and keys of the gateway itself)");
            } else {
                String id = gateway.id();
                if (required("/gateway/id", "gateway", "id", id) && !ID.matcher(id).matches()) {
                    problem("/gateway/id", "gateway id \"" + id + "\" must be lower-case letters, digits and '-', 2 to 63 characters");
                }
                required("/gateway/name", "gateway", "name", gateway.name());
                keys("/gateway", "gateway", id, gateway.keys());
            }
            if (content.agencies().isEmpty()) {
                problem("", "no agencies: the \"agencies\" section lists at least one agency");
            }
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < content.agencies().size(); i++) {
                agency("/agencies/" + i, i, content.agencies().get(i), gateway, seen);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
            }
        }

        private void agency(String pointer, int index, Agency agency, GatewayIdentity gateway, Map<String, Integer> seen) {
            if (agency == null) {
                problem(pointer, "agencies[" + index + "] is empty");
                return;
            }
            String id = agency.id();
            String who = id == null || id.isBlank() ? "agencies[" + index + "]" : "agency \"" + id + "\"";
            if (required(pointer + "/id", who, "id", id)) {
                if (!ID.matcher(id).matches()) {
                    problem(pointer + "/id", who + ": the id must be lower-case letters, digits and '-', 2 to 63 characters");
                } else if (gateway != null && id.equals(gateway.id())) {
                    problem(pointer + "/id", who + ": the id is the gateway's");
                } else if (seen.putIfAbsent(id, index) != null) {
                    problem(pointer + "/id", who + ": the id is used twice (also agencies[" + seen.get(id) + "])");
                }
            }
            required(pointer + "/name", who, "name", agency.name());
            if (agency.type() == null) {
                problem(pointer, who + ": missing \"type\" (the agency type, e.g. SELF_RELIANCE_SUPPORT)");
            }
            String code = agency.municipality();
            if (required(pointer + "/municipality", who, "municipality", code) && !LocalGovernmentCode.isValid(code)) {
                problem(pointer + "/municipality", who + ": municipality \"" + code + "\" is not a valid local government code"
                        + " (全国地方公共団体コード: 6 digits, prefecture 01-47, then a check digit" + expectedCheckDigit(code) + ")");
            }
            keys(pointer, who, id, agency.keys());
            Connector connector = agency.connector();
            if (connector == null) {
                problem(pointer, who + ": missing \"connector\" (kind and endpoint)");
            } else {
                if (required(pointer + "/connector/kind", who, "connector kind", connector.kind())
                        && !CONNECTOR_KIND.matcher(connector.kind()).matches()) {
                    problem(pointer + "/connector/kind", who + ": connector kind \"" + connector.kind() + "\" must be a lower-case word such as http");
                }
                required(pointer + "/connector/endpoint", who, "connector endpoint", connector.endpoint());
            }
            Suspension suspension = agency.suspended();
            if (suspension == null && file.has(pointer + "/suspended")) {
                problem(pointer + "/suspended", who + ": \"suspended\" is empty: give since and reason, or remove it");
            } else if (suspension != null) {
                String at = pointer + "/suspended";
                if (required(at + "/since", who, "suspended.since", suspension.since())
                        && !Suspension.isDateOrDateTime(suspension.since())) {
                    problem(at + "/since", who + ": suspended.since \"" + suspension.since() + "\" is neither a date"
                            + " (2026-12-01) nor a date-time with offset (2026-12-01T09:00:00+09:00)");
                }
                required(at + "/reason", who, "suspended.reason", suspension.reason());
            }
            if (agency.accepts().isEmpty()) {
                problem(pointer, who + ": \"accepts\" lists at least one message type (REFERRAL, STATUS_UPDATE, CONSENT_WITHDRAWAL, RECEIPT)");
            }
            for (int j = 0; j < agency.accepts().size(); j++) {
                if (agency.accepts().get(j) == null) {
                    problem(pointer + "/accepts/" + j, who + ": accepts[" + j + "] is empty");
                } else if (agency.accepts().indexOf(agency.accepts().get(j)) != j) {
                    problem(pointer + "/accepts/" + j, who + ": accepts " + agency.accepts().get(j) + " twice");
                }
            }
        }

        private static String expectedCheckDigit(String code) {
            if (!code.matches("[0-9]{5,6}")) {
                return "";
            }
            int prefecture = Integer.parseInt(code.substring(0, 2));
            return prefecture < 1 || prefecture > 47 ? ""
                    : "; after " + code.substring(0, 5) + " it is " + LocalGovernmentCode.checkDigit(code.substring(0, 5));
        }

        private void keys(String pointer, String who, String ownerId, List<AgencyKey> keys) {
            if (keys.isEmpty()) {
                problem(pointer, who + ": \"keys\" lists at least one key (kid and pem)");
            }
            for (int j = 0; j < keys.size(); j++) {
                String at = pointer + "/keys/" + j;
                AgencyKey key = keys.get(j);
                if (key == null) {
                    problem(at, who + ": keys[" + j + "] is empty");
                    continue;
                }
                String kid = key.kid();
                if (required(at + "/kid", who, "kid", kid)) {
                    Matcher m = KID.matcher(kid);
                    if (!m.matches() || ownerId != null && !m.group(1).equals(ownerId)) {
                        problem(at + "/kid", who + ": kid \"" + kid + "\" must be of the form "
                                + (ownerId == null ? "<id>" : ownerId) + "#<n> (n = 1, 2, ...)");
                    } else if (!kids.add(kid)) {
                        problem(at + "/kid", who + ": kid \"" + kid + "\" is registered twice");
                    }
                }
                if (key.retires() != null && !Suspension.isDateOrDateTime(key.retires())) {
                    problem(at + "/retires", who + ": key " + kid + ": retires \"" + key.retires() + "\" is neither a date"
                            + " (2026-12-01) nor a date-time with offset (2026-12-01T09:00:00+09:00)");
                }
                if (key.pem() == null || key.pem().toString().isBlank()) {
                    problem(at, who + ": key " + (kid == null ? "" : kid + " ") + "has no \"pem\" (path of its public key PEM file)");
                }
            }
        }

        private boolean required(String pointer, String who, String what, String value) {
            if (value == null || value.isBlank()) {
                problem(pointer, who + ": missing \"" + what + "\"");
                return false;
            }
            return true;
        }

        private void problem(String pointer, String text) {
            problems.add(file.at(pointer) + text);
        }
    }
}
