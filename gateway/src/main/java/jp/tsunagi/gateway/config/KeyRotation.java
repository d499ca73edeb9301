package jp.tsunagi.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagi.connectors.config.StrictYaml;
import jp.tsunagi.schema.JapanTime;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;

/**
 * 鍵の更新: a new key pair {@code <id>#<n+1>} for the gateway or an agency, registered first in agencies.yaml (so it
 * signs from the next start on) beside the current one, which gets {@code retires}: it stays accepted for the grace
 * period, then signatures naming it are refused. In the key directory the current names keep the current key
 * ({@code <id>.key.pem}, {@code <id>.crt.pem}); the new public key is {@code <id>.<n+1>.pub.pem}, and the replaced
 * private key and certificate are kept as {@code <id>.<n>.key.pem} and {@code <id>.<n>.crt.pem}.
 *
 * <p>agencies.yaml is edited as text, its comments kept; the edited file is checked as the gateway reads it before
 * anything is written.
 */
public final class KeyRotation {
    private static final Pattern LINE = Pattern.compile(", line (\\d+): $");

    private final AgencyDirectory agencies;
    private final Path keyDirectory;
    private final String owner;
    private final String name;
    private final String oldKid;
    private final String newKid;
    private final OffsetDateTime retires;
    private final String editedYaml;

    private KeyRotation(AgencyDirectory agencies, Path keyDirectory, String owner, String name, String oldKid,
            String newKid, OffsetDateTime retires, String editedYaml) {
        this.agencies = agencies;
        this.keyDirectory = keyDirectory;
        this.owner = owner;
        this.name = name;
        this.oldKid = oldKid;
        this.newKid = newKid;
        this.retires = retires;
        this.editedYaml = editedYaml;
    }

    /**
     * Plans the rotation and checks the edited agencies.yaml; nothing is written yet.
     *
     * @throws IllegalArgumentException for an unknown id, a file that cannot be edited, or an edit the gateway would refuse
     */
    public static KeyRotation prepare(AgencyDirectory agencies, Path keyDirectory, String id, Duration grace, Instant now) {
        String pointer;
        List<AgencyKey> keys;
        String name;
        if (agencies.isGateway(id)) {
            pointer = "/gateway";
            keys = agencies.gateway().keys();
            name = agencies.gateway().name();
        } else {
            Agency agency = agencies.agency(id).orElseThrow(() -> new IllegalArgumentException("unknown agency \"" + id
                    + "\": it is not registered in " + agencies.source()));
            pointer = "/agencies/" + agencies.agencies().indexOf(agency);
            keys = agency.keys();
            name = agency.name();
        }
        int highest = keys.stream().mapToInt(k -> number(k.kid())).max().orElse(0);
        String newKid = id + "#" + (highest + 1);
        String oldKid = keys.get(0).kid();
        OffsetDateTime retires = now.plus(grace).atOffset(JapanTime.OFFSET).truncatedTo(ChronoUnit.SECONDS);
        String newPem = keyDirectory.resolve(id + "." + (highest + 1) + ".pub.pem").toString().replace('\\', '/');
        String edited = edit(agencies.source(), pointer, newKid, newPem, retires.toString());
        check(agencies.source(), edited);
        return new KeyRotation(agencies, keyDirectory, id, name, oldKid, newKid, retires, edited);
    }

    public String owner() {
        return owner;
    }

    public String oldKid() {
        return oldKid;
    }

    public String newKid() {
        return newKid;
    }

    public OffsetDateTime retires() {
        return retires;
    }

    /** Writes the key files, then agencies.yaml (replaced in one move). */
    public void apply() {
        String oldNumber = Integer.toString(number(oldKid));
        String newNumber = Integer.toString(number(newKid));
        Path privateKey = KeyMaterial.privateKeyFile(keyDirectory, owner);
        Path certificate = KeyMaterial.certificateFile(keyDirectory, owner);
        Path keptKey = keyDirectory.resolve(owner + "." + oldNumber + ".key.pem");
        Path keptCertificate = keyDirectory.resolve(owner + "." + oldNumber + ".crt.pem");
        Path newPublic = keyDirectory.resolve(owner + "." + newNumber + ".pub.pem");
        try {
            Files.createDirectories(keyDirectory);
            for (Path exists : List.of(keptKey, keptCertificate, newPublic)) {
                if (Files.exists(exists)) {
                    throw new IllegalArgumentException(exists + " exists already: rotation would overwrite it");
                }
            }
            KeyPair pair = KeyMaterial.generateP256();
            if (Files.exists(privateKey)) {
                Files.move(privateKey, keptKey);
            }
            if (Files.exists(certificate)) {
                Files.move(certificate, keptCertificate);
            }
            KeyMaterial.writeOwnerOnly(privateKey, Pem.encode(pair.getPrivate()));
            Files.writeString(newPublic, Pem.encode(pair.getPublic()), StandardCharsets.US_ASCII);
            Files.writeString(certificate, Pem.encode(KeyMaterial.selfSignedCertificate(owner, name, pair,
                    Duration.ofDays(825))), StandardCharsets.US_ASCII);
            Path source = agencies.source();
            Path temporary = source.resolveSibling(source.getFileName() + ".rotating");
            Files.writeString(temporary, editedYaml, StandardCharsets.UTF_8);
            Files.move(temporary, source, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the new key of " + owner + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static int number(String kid) {
        return Integer.parseInt(kid.substring(kid.indexOf('#') + 1));
    }

    /** The file with the new key first in the owner's list and {@code retires} on the key it replaces. */
    static String edit(Path source, String pointer, String newKid, String newPem, String retires) {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        StrictYaml yaml = StrictYaml.scan(source, text.getBytes(StandardCharsets.UTF_8), "it needs the sections gateway and agencies");
        int kidLine = line(yaml, pointer + "/keys/0/kid");
        int pemLine = line(yaml, pointer + "/keys/0/pem");
        int itemLine = Math.min(kidLine, pemLine);
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        String item = lines.get(itemLine - 1);
        int dash = item.indexOf('-');
        if (dash < 0 || !item.substring(0, dash).isBlank()) {
            throw new IllegalArgumentException(source + ", line " + itemLine + ": the key is not written as a list item "
                    + "(- kid: ...): add the new key by hand");
        }
        String indent = item.substring(0, dash);
        String quotedRetires = "\"" + retires + "\"";
        if (item.contains("{")) {
            int close = item.lastIndexOf('}');
            if (close < 0 || kidLine != pemLine) {
                throw new IllegalArgumentException(source + ", line " + itemLine + ": the key spans lines: add the new key by hand");
            }
            lines.set(itemLine - 1, item.substring(0, close).stripTrailing() + ", retires: " + quotedRetires + "}" + item.substring(close + 1));
            lines.add(itemLine - 1, indent + "- {kid: \"" + newKid + "\", pem: \"" + newPem + "\"}");
        } else {
            String kidText = lines.get(kidLine - 1);
            int column = kidText.indexOf("kid");
            lines.add(kidLine, " ".repeat(column) + "retires: " + quotedRetires);
            String fields = " ".repeat(item.indexOf(item.substring(dash + 1).strip()));
            lines.add(itemLine - 1, fields + "pem: " + newPem);
            lines.add(itemLine - 1, indent + "- kid: \"" + newKid + "\"");
        }
        return String.join(newline, lines);
    }

    private static int line(StrictYaml yaml, String pointer) {
        Matcher m = LINE.matcher(yaml.at(pointer));
        if (!m.find()) {
            throw new IllegalArgumentException(yaml.at(pointer) + "cannot find " + pointer + ": add the new key by hand");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The edited file as the gateway would read it; a refusal names what the edit broke. */
    private static void check(Path source, String edited) {
        try {
            Path temporary = Files.createTempFile("agencies", ".yaml");
            try {
                Files.writeString(temporary, edited, StandardCharsets.UTF_8);
                AgencyDirectory.load(temporary);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the edited " + source, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the edited " + source + " would be refused, nothing was changed: " + e.getMessage());
        }
    }
}
