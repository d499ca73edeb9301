package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.audit.Disclosure;
import jp.tsunagi.gateway.audit.DisclosureReport;
import jp.tsunagi.gateway.audit.ProvisionRecord;
import jp.tsunagi.gateway.audit.ProvisionRecords;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.validation.MessageRejectedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsunagi disclose --subject FILE}: the provision records of one person, for an APPI disclosure request. */
@Command(name = "disclose",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Disclose the provision records (提供記録の開示) of one person: who received which categories of "
                        + "their data, when, and on which basis (本人同意, 支援会議, ...): what a disclosure request "
                        + "under the Personal Information Protection Act (APPI) needs.",
                "",
                "FILE names the person: a message (JSON or XML) about them, e.g. the referral they are asking about, "
                        + "or a small JSON file {\"kana\":{\"family\":\"サトウ\",\"given\":\"ケンイチ\"},"
                        + "\"birthDate\":\"1970-01-01\"}. The person is found by the keyed pseudonym of their kana "
                        + "name and birth date (audit-hmac.key of the key directory); nothing else of FILE is used.",
                "",
                "The disclosure is recorded in the audit trail (DISCLOSED, with --actor) before anything is printed; "
                        + "this needs the gateway's private key.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:disclosed (also when there is no record: that is the answer)",
                "2:bad usage, FILE names no person, bad configuration, no database or no key"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi disclose --subject request-sato.json", "  tsunagi disclose --subject F1.xml --actor yamada > disclosure.txt"})
final class DiscloseCommand implements Callable<Integer> {
    @Option(names = "--subject", required = true, paramLabel = "FILE",
            description = "The person (本人): a message naming them, or {\"kana\":{...},\"birthDate\":...}.")
    Path subject;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Administrator recorded as disclosing (a login name). Default: the operating-system user.")
    String actor;

    @Mixin
    AuditStoreOptions store;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        try {
            return AuditStoreOptions.run("cannot read the provision records", () -> {
                String who = AuditStoreOptions.actor(actor);
                byte[] document = Documents.read(subject);
                SubjectPseudonyms pseudonyms = SubjectPseudonyms.existingInKeyDirectory(store.keyDirectory(conf.directory));
                String subjectRef = pseudonyms.subjectRefOfDocument(document);
                AgencyDirectory agencies = conf.agencies();
                var chain = store.chain(agencies, conf.directory);
                List<ProvisionRecord> records = store.withDatabase(conf.directory,
                        db -> new Disclosure(chain, new ProvisionRecords()).disclose(db.dataSource(), who, subjectRef));
                PrintStream out = Terminal.out();
                out.print(DisclosureReport.render(subjectRef, records, id -> agencies.agency(id).map(Agency::name)
                        .orElse(agencies.isGateway(id) ? agencies.gateway().name() : null)));
                out.flush();
                return ExitCodes.OK;
            });
        } catch (MessageRejectedException e) {
            // Not an IllegalArgumentException: passes through run() untouched.
            Terminal.err().println(subject + ": " + e.code() + " (the file must be a JSON or XML message, or a subject file)");
            return ExitCodes.BAD_INPUT;
        }
    }
}
