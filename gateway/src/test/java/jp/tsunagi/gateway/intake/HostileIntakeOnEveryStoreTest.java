package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jp.tsunagi.gateway.http.Problems;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.gateway.store.TestDatabases.Kind;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attack lists of issue 15 (docs/security.md sections 1 and 2) through the real gateway, on H2 and on PostgreSQL:
 * the parsers and signature checks are the schemas module's and are tested there without a store, but what the
 * gateway then does is the store's: each refusal answered with its stable code and audited ({@code REJECTED} with
 * that code), nothing stored, no 5xx; and a valid message carrying Camel's headers accepted without them taking
 * effect. One gateway per store for the whole class.
 */
class HostileIntakeOnEveryStoreTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Map<Kind, GatewayFixture> GATEWAYS = new EnumMap<>(Kind.class);

    @TempDir
    static Path dir;

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(GatewayFixture::close);
    }

    /** One request of the attack lists: what is sent, and the refusal the contract and docs/security.md promise. */
    record Attack(String name, int status, String code, Request request) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Request {
        HttpResponse<byte[]> send(GatewayFixture g) throws Exception;
    }

    static Stream<Arguments> attacksOnEveryStore() {
        return TestDatabases.kinds().stream().flatMap(kind -> attacks().stream().map(attack -> Arguments.of(kind, attack)));
    }

    static List<Attack> attacks() {
        return List.of(
                // JWS (the JOSE attack list)
                json("unsigned", 401, "signature.missing", (g, m) -> JsonCodec.write(m)),
                json("alg none", 401, "signature.alg_forbidden", (g, m) -> withJws(m, header("{\"alg\":\"none\",\"kid\":\"tsunagi-hellowork#1\",\"typ\":\"tsunagi+jws\"}") + "..")),
                json("HS256 keyed with the public key", 401, "signature.alg_forbidden", (g, m) -> withJws(m,
                        header("{\"alg\":\"HS256\",\"kid\":\"tsunagi-hellowork#1\",\"typ\":\"tsunagi+jws\"}") + ".." + B64.encodeToString(new byte[32]))),
                json("a key embedded in the header", 401, "signature.header_forbidden", (g, m) -> withJws(m,
                        header("{\"alg\":\"ES256\",\"kid\":\"tsunagi-hellowork#1\",\"typ\":\"tsunagi+jws\",\"jwk\":{\"kty\":\"EC\"}}") + ".." + B64.encodeToString(new byte[64]))),
                json("an unknown critical header", 401, "signature.crit_unsupported", (g, m) -> withJws(m,
                        header("{\"alg\":\"ES256\",\"kid\":\"tsunagi-hellowork#1\",\"typ\":\"tsunagi+jws\",\"crit\":[\"exp\"],\"exp\":1}") + ".." + B64.encodeToString(new byte[64]))),
                json("a kid not registered", 401, "signature.kid_unknown", (g, m) -> signed(m, new SigningKey("tsunagi-hellowork#9", g.key("tsunagi-hellowork").privateKey()))),
                json("another agency's key under the sender's kid", 401, "signature.invalid", (g, m) -> signed(m, new SigningKey("tsunagi-hellowork#1", g.key("tsunagi-tax").privateKey()))),
                json("signed by another agency than the sender", 401, "signature.sender_mismatch", (g, m) -> signed(m, g.key("tsunagi-tax"))),
                json("changed after signing", 401, "signature.invalid", (g, m) -> new String(signed(m, g.key("tsunagi-hellowork")), StandardCharsets.UTF_8)
                        .replace("REF-2026-", "REF-2027-").getBytes(StandardCharsets.UTF_8)),
                // XML (XXE, entity expansion, signature wrapping, algorithms)
                raw("XXE", 400, "message.dtd_forbidden", "application/xml",
                        "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><m>&x;</m>".getBytes(StandardCharsets.UTF_8)),
                raw("billion laughs", 400, "message.dtd_forbidden", "application/xml", ("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaaaaaaaa\">"
                        + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><m>&c;</m>").getBytes(StandardCharsets.UTF_8)),
                raw("a DOCTYPE in UTF-16", 400, "message.dtd_forbidden", "application/xml",
                        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><m>&x;</m>".getBytes(StandardCharsets.UTF_16)),
                xml("a second signature (wrapping)", 401, "signature.wrapping", signed -> {
                    String element = signed.substring(signed.indexOf("<ds:Signature"), signed.indexOf("</ds:Signature>") + 15);
                    return signed.replace("</message>", element + "</message>");
                }),
                xml("an rsa-sha1 signature method", 401, "signature.alg_forbidden", signed -> signed.replace(
                        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2000/09/xmldsig#rsa-sha1")),
                // the parsers' limits
                raw("5,000 levels of nesting", 400, "message.too_deep", "application/json",
                        ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)).getBytes(StandardCharsets.UTF_8)),
                json("a 70,000-character string", 400, "message.value_too_long", (g, m) -> new String(signed(m, g.key("tsunagi-hellowork")),
                        StandardCharsets.UTF_8).replaceFirst("\\{", "{\"x\":\"" + "a".repeat(70_000) + "\",").getBytes(StandardCharsets.UTF_8)),
                json("the same member twice", 400, "message.duplicate_key", (g, m) -> new String(signed(m, g.key("tsunagi-hellowork")),
                        StandardCharsets.UTF_8).replaceFirst("\\{", "{\"sender\":\"tsunagi-tax\",").getBytes(StandardCharsets.UTF_8)),
                // arrays and error lists
                json("60,000 list entries", 400, "field.size", (g, m) -> {
                    ArrayNode issues = ((ObjectNode) m.get("referral")).putArray("issues");
                    for (int i = 0; i < 60_000; i++) {
                        issues.add("X" + i % 10);
                    }
                    return signed(m, g.key("tsunagi-hellowork"));
                }),
                new Attack("5,000 invalid list entries in XML, signed", 400, "schema.invalid", g -> {
                    StringBuilder issues = new StringBuilder();
                    for (int i = 0; i < 5_000; i++) {
                        issues.append("<issue>X").append(i).append("</issue>");
                    }
                    String document = new String(XmlCodec.write(new MessageReader().readJson(JsonCodec.write(fresh(g)))), StandardCharsets.UTF_8)
                            .replaceFirst("<issue>", issues + "<issue>");
                    return g.post(MessageSignatures.sign(document.getBytes(StandardCharsets.UTF_8), g.key("tsunagi-hellowork")), "application/xml");
                }),
                json("one code ten times", 400, "field.duplicate", (g, m) -> {
                    ArrayNode issues = ((ObjectNode) m.get("referral")).putArray("issues");
                    for (int i = 0; i < 10; i++) {
                        issues.add("MULTIPLE_DEBTS");
                    }
                    return signed(m, g.key("tsunagi-hellowork"));
                }),
                // identifiers that could hold personal data, and log injection through them
                json("a phone number as referralId", 400, "schema.invalid", (g, m) -> signed(m.put("referralId", Canary.PHONE), g.key("tsunagi-hellowork"))),
                json("a forged log line in referralId", 400, "schema.invalid", (g, m) -> signed(m.put("referralId",
                        "REF-2026-000001\r\n2026-12-06T00:00:00Z [INFO] jp.tsunagi.gateway - accepted"), g.key("tsunagi-hellowork"))),
                json("a forged log line in messageId", 400, "schema.invalid", (g, m) -> signed(m.put("messageId",
                        "00000000-0000-4000-8000-000000000000\n[INFO] audit verify: intact"), g.key("tsunagi-hellowork"))),
                raw("a media type that is neither", 415, "message.unsupported_media_type", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attacksOnEveryStore")
    void eachAttackIsRefusedWithItsCodeAuditedAndNothingIsStored(Kind kind, Attack attack) throws Exception {
        GatewayFixture g = gateway(kind);
        long stored = Canary.count(g, "SELECT COUNT(*) FROM message");
        long audited = rejected(g, attack.code());

        HttpResponse<byte[]> answer = attack.request().send(g);

        String body = new String(answer.body(), StandardCharsets.UTF_8);
        assertThat(answer.statusCode()).as(body).isEqualTo(attack.status());
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonCodec.parse(answer.body()).get("code").asText()).isEqualTo(attack.code());
        assertThat(body).doesNotContain(Canary.PHONE, "\r\n2026", "/etc/passwd");
        assertThat(JsonCodec.parse(answer.body()).path("errors").size()).as("problems listed").isLessThanOrEqualTo(Problems.MAX_ERRORS);
        assertThat(rejected(g, attack.code())).as("the refusal audited").isEqualTo(audited + 1);
        assertThat(Canary.rows(g, "audit_entry")).as("the audit trail").doesNotContain(Canary.PHONE, "\n2026", "\n[INFO]");
        assertThat(Canary.count(g, "SELECT COUNT(*) FROM message")).as("messages stored").isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aValidMessageCarryingCamelsHeadersIsAcceptedAndTheHeadersTakeNoEffectAndNeverComeBack(Kind kind) throws Exception {
        GatewayFixture g = gateway(kind);
        ObjectNode message = g.sample("F6-", m -> m.put("referralId", "REF-2026-" + (200000 + SEQUENCE.incrementAndGet())));
        byte[] body = MessageSignatures.sign(JsonCodec.write(message), g.key("tsunagi-hellowork"));
        HttpRequest.Builder request = HttpRequest.newBuilder(g.uri("/api/v1/messages")).header("Content-Type", "application/json");
        // Camel's header-injection advisories: headers a producer or the HTTP consumer would act on
        for (String[] header : new String[][] {{"CamelHttpUri", "http://127.0.0.1:1/stolen"}, {"CamelHttpResponseCode", "200"},
                {"CamelFileName", "../../etc/cron.d/x"}, {"CamelExecCommandExecutable", "/bin/sh"}, {"CamelSqlQuery", "DELETE FROM message"},
                {"CamelBeanMethodName", "close"}, {"camelhttpmethod", "DELETE"}, {"TsunagiClientAgency", "tsunagi-hub"}}) {
            request.header(header[0], header[1]);
        }

        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        assertThat(answer.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("camel") || name.toLowerCase().startsWith("tsunagi"));
        String id = message.get("messageId").asText();
        assertThat(Canary.count(g, "SELECT COUNT(*) FROM message WHERE message_id = '" + id + "'")).isEqualTo(1);
        assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'ACCEPTED' AND message_id = '" + id + "'")).isEqualTo(1);
        assertThat(g.awaitCopiesFrom("tsunagi-hub", "tsunagi-hellowork", 1)).isNotEmpty();
        assertThat(Canary.count(g, "SELECT COUNT(*) FROM message")).as("the injected SQL ran nowhere").isPositive();
    }

    private static synchronized GatewayFixture gateway(Kind kind) throws Exception {
        GatewayFixture g = GATEWAYS.get(kind);
        if (g == null) {
            g = new GatewayFixture(dir.resolve(kind.name()), kind);
            GATEWAYS.put(kind, g);
        }
        return g;
    }

    private static long rejected(GatewayFixture g, String code) throws Exception {
        return Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED' AND code = '" + code + "'");
    }

    @FunctionalInterface
    interface Forge {
        byte[] body(GatewayFixture g, ObjectNode message) throws Exception;
    }

    /** A JSON attack made from a fresh Hello Work referral (sample F6). */
    private static Attack json(String name, int status, String code, Forge forge) {
        return new Attack(name, status, code, g -> g.post(forge.body(g, fresh(g)), "application/json"));
    }

    /** An XML attack made from a fresh Hello Work referral, signed, then edited. */
    private static Attack xml(String name, int status, String code, java.util.function.UnaryOperator<String> edit) {
        return new Attack(name, status, code, g -> {
            byte[] document = XmlCodec.write(new MessageReader().readJson(JsonCodec.write(fresh(g))));
            String signed = new String(MessageSignatures.sign(document, g.key("tsunagi-hellowork")), StandardCharsets.UTF_8);
            return g.post(edit.apply(signed).getBytes(StandardCharsets.UTF_8), "application/xml");
        });
    }

    private static Attack raw(String name, int status, String code, String contentType, byte[] body) {
        return new Attack(name, status, code, g -> g.post(body, contentType));
    }

    private static ObjectNode fresh(GatewayFixture g) throws Exception {
        return g.sample("F6-", m -> m.put("referralId", "REF-2026-" + (100000 + SEQUENCE.incrementAndGet())));
    }

    private static byte[] signed(ObjectNode message, SigningKey key) {
        return MessageSignatures.sign(JsonCodec.write(message), key);
    }

    private static String header(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The message with a detached JWS of one's own making. */
    private static byte[] withJws(ObjectNode message, String jws) {
        return JsonCodec.write(message.put("signature", jws));
    }
}
