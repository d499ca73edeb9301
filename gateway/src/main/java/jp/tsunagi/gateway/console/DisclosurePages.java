package jp.tsunagi.gateway.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.Provision;
import jp.tsunagi.gateway.audit.SubjectIdentity;
import jp.tsunagi.gateway.people.PersonDisclosure;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.JapanTime;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * 本人開示: an auditor or administrator finds a person by kana name and birth date (their keyed pseudonym), states the
 * purpose, and sees every provision of the person's data and every console view of the person's records, this one
 * included; the page prints as a letter (CSS {@code @media print}), and downloads as JSON or CSV for an electronic
 * disclosure (APPI art. 33(5)). The person's kana travels only in POST forms, never in a URL.
 */
public final class DisclosurePages {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(JapanTime.ZONE);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Console console;
    private final DataSource dataSource;
    private final AuditChain audit;
    private final PersonDisclosure disclosure;
    private final Clock clock;

    DisclosurePages(Console console, DataSource dataSource, AuditChain audit, PersonDisclosure disclosure, Clock clock) {
        this.console = console;
        this.dataSource = dataSource;
        this.audit = audit;
        this.disclosure = Objects.requireNonNull(disclosure);
        this.clock = clock;
    }

    /** The request's person and purpose, or why they cannot be read. */
    private record Ask(SubjectIdentity person, String purpose, Map<String, String> form, String error) {
    }

    /** {@code GET /admin/disclosure}: the form. */
    ConsoleResponse form(Sessions.Session session) {
        return console.page(200, "disclosure", session, model(Map.of("kanaFamily", "", "kanaGiven", "", "birthDate", "",
                "purpose", ""), null));
    }

    /** {@code POST /admin/disclosure/show}: the disclosure on the page (and in print). */
    ConsoleResponse show(ConsoleRequest r, Sessions.Session session) throws SQLException {
        Ask ask = ask(r);
        if (ask.error() != null) {
            return refused(session, ask);
        }
        PersonDisclosure.Report report = disclosure.disclose(dataSource, session.account.name(), ask.person(), ask.purpose(),
                "disclosed");
        Map<String, Object> model = model(ask.form(), null);
        model.put("report", report);
        model.put("provisions", report.provisions().stream().map(DisclosurePages::row).toList());
        model.put("views", report.views().stream().map(DisclosurePages::row).toList());
        model.put("disclosedAt", ConsentPages.Times.INSTANCE.show(clock.instant()));
        model.put("disclosedBy", session.account.name());
        model.put("purposeLabel", Pages.message("purpose." + ask.purpose()));
        return console.page(200, "disclosure", session, model);
    }

    /** {@code POST /admin/disclosure/download}: the same as a file, {@code format=json} or {@code csv}. */
    ConsoleResponse download(ConsoleRequest r, Sessions.Session session) throws SQLException, IOException {
        Ask ask = ask(r);
        String format = r.parameter("format");
        if (ask.error() == null && !"json".equals(format) && !"csv".equals(format)) {
            ask = new Ask(null, null, ask.form(), Pages.message("disclosure.format.invalid"));
        }
        if (ask.error() != null) {
            return refused(session, ask);
        }
        PersonDisclosure.Report report = disclosure.disclose(dataSource, session.account.name(), ask.person(), ask.purpose(),
                "exported." + format);
        String name = "disclosure-" + FILE_TIME.format(clock.instant()) + "." + format;
        return "json".equals(format)
                ? console.download("application/json", name, json(report, ask, session.account.name()))
                : console.download("text/csv; charset=UTF-8", name, csv(report));
    }

    private ConsoleResponse refused(Sessions.Session session, Ask ask) throws SQLException {
        audit.appendCommitted(dataSource, AuditEvent.of(AuditAction.REJECTED, session.account.name())
                .withCode("console.input_invalid").withOutcome("rejected.400"));
        return console.page(400, "disclosure", session, model(ask.form(), ask.error()));
    }

    private static Ask ask(ConsoleRequest r) {
        Map<String, String> form = new HashMap<>();
        for (String field : List.of("kanaFamily", "kanaGiven", "birthDate", "purpose")) {
            form.put(field, r.parameter(field) == null ? "" : r.parameter(field));
        }
        String purpose = r.parameter("purpose");
        if (purpose == null || !Console.PURPOSES.contains(purpose)) {
            return new Ask(null, null, form, Pages.message("disclosure.purpose.required"));
        }
        try {
            LocalDate birth = LocalDate.parse(form.get("birthDate"));
            return new Ask(new SubjectIdentity(form.get("kanaFamily"), form.get("kanaGiven"), birth), purpose, form, null);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return new Ask(null, null, form, Pages.message("disclosure.person.required"));
        }
    }

    private static Map<String, Object> model(Map<String, String> form, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("f", form);
        model.put("error", error);
        model.put("purposes", Console.PURPOSES.stream().map(p -> new Console.Option(p, Pages.message("purpose." + p))).toList());
        return model;
    }

    /** A provision as the page, the JSON and the CSV show it: dates in Japan time, codes with their Japanese labels. */
    public record ProvisionRow(String at, String sender, String recipient, String categories, String basis, String consent,
                               String delivery, String messageId, String referralId, String keepUntil) {
    }

    /** A console view of the person's records. */
    public record ViewRow(long seq, String at, String actor, String action, String purpose, String outcome) {
    }

    private static ProvisionRow row(PersonDisclosure.Provided p) {
        Provision v = p.record().provision();
        return new ProvisionRow(ConsentPages.Times.INSTANCE.show(p.record().at().toInstant()), v.sender(), v.recipient(),
                String.join("、", v.categories().stream().map(CodeLists::label).toList()),
                CodeLists.label(v.basis()) + (v.basisRef() == null ? "" : " " + v.basisRef()), consent(p), delivery(p),
                v.messageId(), v.referralId() == null ? "" : v.referralId(), p.record().keepUntil().toString());
    }

    private static ViewRow row(PersonDisclosure.View v) {
        return new ViewRow(v.seq(), ConsentPages.Times.INSTANCE.show(v.at()), v.actor(), v.action().label(),
                v.purpose() == null ? "" : Pages.message("purpose." + v.purpose()), v.outcome() == null ? "" : v.outcome());
    }

    /** The consent as it stood: until when it held, and whether (and when) the person withdrew it since. */
    private static String consent(PersonDisclosure.Provided p) {
        if (p.record().provision().basisRef() == null || p.record().provision().basis() != jp.tsunagi.schema.model.LegalBasis.CONSENT) {
            return "";
        }
        String expiry = p.consentExpiresAt() == null ? "" : Pages.message("disclosure.consent.until", time(p.consentExpiresAt()));
        return p.consentWithdrawnAt() == null ? expiry
                : expiry + Pages.message("disclosure.consent.withdrawn", time(p.consentWithdrawnAt()));
    }

    private static String delivery(PersonDisclosure.Provided p) {
        if (p.delivery() == null) {
            return Pages.message("disclosure.delivery.unknown");
        }
        return switch (p.delivery()) {
            case "DELIVERED" -> Pages.message("disclosure.delivery.delivered", time(p.deliveredAt()));
            case "DEAD" -> Pages.message("disclosure.delivery.dead", time(p.deadAt()), p.lastCode() == null ? "" : p.lastCode());
            default -> Pages.message("disclosure.delivery.pending");
        };
    }

    private static String time(Instant at) {
        return ConsentPages.Times.INSTANCE.show(at);
    }

    private byte[] json(PersonDisclosure.Report report, Ask ask, String account) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "tsunagi-disclosure");
        ObjectNode person = root.putObject("person");
        person.put("kanaFamily", ask.person().kanaFamily());
        person.put("kanaGiven", ask.person().kanaGiven());
        person.put("birthDate", ask.person().birthDate().toString());
        person.put("subjectRef", report.subjectRef());
        root.put("disclosedAt", clock.instant().toString());
        root.put("disclosedBy", account);
        root.put("purpose", ask.purpose());
        ArrayNode provisions = root.putArray("provisions");
        for (PersonDisclosure.Provided p : report.provisions()) {
            Provision v = p.record().provision();
            ObjectNode n = provisions.addObject();
            n.put("at", p.record().at().toInstant().toString());
            n.put("sender", v.sender());
            n.put("recipient", v.recipient());
            ArrayNode categories = n.putArray("dataCategories");
            v.categories().forEach(c -> categories.add(c.name()));
            n.put("basis", v.basis().name());
            n.put("basisRef", v.basisRef());
            n.put("consentExpiresAt", p.consentExpiresAt() == null ? null : p.consentExpiresAt().toString());
            n.put("consentWithdrawnAt", p.consentWithdrawnAt() == null ? null : p.consentWithdrawnAt().toString());
            n.put("delivery", p.delivery());
            n.put("deliveredAt", p.deliveredAt() == null ? null : p.deliveredAt().toString());
            n.put("messageId", v.messageId());
            n.put("referralId", v.referralId());
            n.put("keepUntil", p.record().keepUntil().toString());
        }
        ArrayNode views = root.putArray("consoleViews");
        for (PersonDisclosure.View v : report.views()) {
            views.addObject().put("seq", v.seq()).put("at", v.at().toString()).put("actor", v.actor())
                    .put("action", v.action().name()).put("purpose", v.purpose()).put("outcome", v.outcome());
        }
        return JSON.writeValueAsBytes(root);
    }

    /** One table: a row per provision (種別 提供) and per view of the records (種別 閲覧), RFC 4180 with a BOM for Excel. */
    private static byte[] csv(PersonDisclosure.Report report) throws IOException {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord("種別", "日時", "提供元・閲覧者", "提供先・操作", "情報の区分", "根拠・利用目的", "同意の状態",
                    "配信結果", "メッセージID", "紹介ID");
            for (PersonDisclosure.Provided p : report.provisions()) {
                ProvisionRow r = row(p);
                csv.printRecord("提供", r.at(), r.sender(), r.recipient(), r.categories(), r.basis(), r.consent(),
                        r.delivery(), r.messageId(), r.referralId());
            }
            for (PersonDisclosure.View v : report.views()) {
                ViewRow r = row(v);
                csv.printRecord("閲覧", r.at(), r.actor(), r.action(), "", r.purpose(), "", r.outcome(), "", "");
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
