package jp.tsunagi.gateway.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;

/** The sample messages, the default configuration and a fixed "now", as the policy tests use them. */
final class Samples {
    static final Path DIR = Path.of("../schemas/samples");
    static final Path POLICY = Path.of("../conf/policy.yaml");
    static final Path AGENCIES = Path.of("../conf/agencies.yaml");
    static final OffsetDateTime NOW_JST = OffsetDateTime.parse("2026-11-22T12:00:00+09:00");
    static final Instant NOW = NOW_JST.toInstant();
    /** The library's reader, with the clock at NOW so that the samples' dates are judged the same on any day. */
    static final MessageReader READER = new MessageReader(MessageReader.DEFAULT_MAX_BYTES, Clock.fixed(NOW, ZoneOffset.UTC));

    private static final AgencyDirectory DIRECTORY = AgencyDirectory.load(AGENCIES);
    private static final PolicyConfig DEFAULT_POLICY = PolicyConfig.load(POLICY);

    private Samples() {
    }

    /** A fresh copy of the JSON sample whose file name starts with {@code prefix}, read and validated. */
    static Message sample(String prefix) {
        return READER.readJson(bytes(file(prefix)));
    }

    static Path file(String prefix) {
        List<Path> matches = jsonFiles().stream()
                .filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        if (matches.size() != 1) {
            throw new IllegalArgumentException("no single sample starts with " + prefix + ": " + matches);
        }
        return matches.get(0);
    }

    static List<Path> jsonFiles() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Message read(Path file) {
        return READER.readJson(bytes(file));
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PolicyConfig policy() {
        return DEFAULT_POLICY;
    }

    static AgencyDirectory agencies() {
        return DIRECTORY;
    }

    static Agency agency(String id) {
        return DIRECTORY.agency(id).orElseThrow();
    }

    static Agency senderOf(Message message) {
        return agency(message.getSender());
    }

    static Agency recipientOf(Message message) {
        return agency(message.getRecipient());
    }
}
