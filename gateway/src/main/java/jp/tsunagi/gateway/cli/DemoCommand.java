package jp.tsunagi.gateway.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.signature.VerifiedSignature;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tsunagi demo}: a newcomer's first run. At this stage of the project it shows the data-exchange library at
 * work on every flow F1-F10 (keys, signing as each sender, verification against the registry, every validation
 * layer) and the refusals that protect a person's data. The gateway, simulators and console join it as they land.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Run the demonstration on embedded defaults: keys under data/keys, the fictitious municipality "
                        + "つなぎ市 of conf/, and the sample referral of every flow F1-F10 (schemas/samples).",
                "",
                "Each sample is signed by its sender (JSON: detached JWS; XML: XML Signature), verified against "
                        + "the keys registered in agencies.yaml and validated in every layer; then the refusals "
                        + "are shown: a changed message, tax data without consent (地方税法第22条), "
                        + "another agency's key, an XML entity attack.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every flow behaved as expected", "1:a flow did not", "2:bad configuration or usage"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "data/keys",
            description = "Key directory; keys are created there on first run. Default: ${DEFAULT-VALUE}")
    Path keys;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Sample messages. Default: schemas/samples of the Tsunagi installation.")
    Path samples;

    @Mixin
    ConfOption conf;

    private final MessageReader reader = new MessageReader();
    private PrintStream out;
    private boolean allAsExpected = true;

    @Override
    public Integer call() {
        out = Terminal.out();
        try {
            AgencyDirectory agencies = conf.agencies();
            out.println("Tsunagi (つなぎ) demo: " + agencies.agencies().size() + " agencies of conf/agencies.yaml");
            out.println();
            out.println("1. Keys (鍵): " + createKeys(agencies) + " in " + keys);
            KeyResolver registered = agencies.keyResolver();
            out.println();
            out.println("2. Every flow: signed by its sender, verified against the registered keys, validated");
            for (Path json : samples("json")) {
                flow(agencies, registered, json);
            }
            out.println();
            out.println("3. What is refused, and why (stable codes; no personal data in any answer)");
            refusals(agencies, registered);
            out.println();
            out.println(allAsExpected ? "Every flow behaved as expected." : "SOME FLOWS DID NOT BEHAVE AS EXPECTED.");
            out.println("Try it yourself: bin/tsunagi sign --as tsunagi-tax " + sampleDir().resolve("F1-tax-to-hub-payment-consultation.json")
                    + " > s.json && bin/tsunagi verify s.json");
            return allAsExpected ? ExitCodes.OK : ExitCodes.INVALID;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            Terminal.err().println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    private String createKeys(AgencyDirectory agencies) {
        int created = 0;
        List<String> ids = Stream.concat(Stream.of(agencies.gateway().id()), agencies.agencies().stream().map(Agency::id)).toList();
        for (String id : ids) {
            String name = agencies.agency(id).map(Agency::name).orElse(agencies.gateway().name());
            created += KeyMaterial.writeFiles(keys, id, name) ? 1 : 0;
        }
        return created + " created, " + (ids.size() - created) + " kept";
    }

    private void flow(AgencyDirectory agencies, KeyResolver registered, Path json) {
        byte[] document = read(json);
        Message message = reader.read(document);
        String line = String.format("  %-4s %s → %s  %s", flowId(json), name(agencies, message.getSender()),
                name(agencies, message.getRecipient()), describe(message));
        Set<String> outcomes = new LinkedHashSet<>();
        for (Path file : List.of(json, twin(json))) {
            try {
                byte[] signed = MessageSignatures.sign(read(file), signingKey(agencies, message.getSender()));
                VerifiedSignature signer = MessageSignatures.verify(signed, registered);
                Set<Problem> problems = new LinkedHashSet<>();
                VerifyCommand.checkSigner(agencies, signer, reader.read(signed), problems);
                outcomes.add(problems.isEmpty() ? (file == json ? "JSON ✓" : "XML ✓") : "REFUSED " + problems);
            } catch (MessageRejectedException e) {
                outcomes.add("REFUSED " + e.code().code());
            }
        }
        allAsExpected &= outcomes.stream().allMatch(o -> o.endsWith("✓"));
        out.println(line + "  [" + String.join(", ", outcomes) + "]");
    }

    private static String describe(Message m) {
        return switch (m.getMessageType()) {
            case REFERRAL -> "紹介 " + CodeLists.label(m.getReferral().getPurpose()) + ", " + basis(m.getReferral().getBasis())
                    + ", " + DataCategories.carriedBy(m).keySet().stream().map(Enum::name).collect(Collectors.joining(" "));
            case STATUS_UPDATE -> "状況連絡 " + m.getStatusUpdate().getStatus() + " (" + CodeLists.label(m.getStatusUpdate().getStatus()) + ")"
                    + (m.getStatusUpdate().getReason() == null ? "" : " " + m.getStatusUpdate().getReason());
            case CONSENT_WITHDRAWAL -> "同意撤回 of consent " + m.getConsentWithdrawal().getConsentId();
            case RECEIPT -> "受領証";
        };
    }

    private static String basis(Basis basis) {
        if (basis.getConsent() != null) {
            return "本人同意 " + basis.getConsent().getConsentId();
        }
        return basis.getSupportMeeting() != null ? "支援会議 " + basis.getSupportMeeting().getMeetingId() : "生命・身体の保護 (review)";
    }

    private void refusals(AgencyDirectory agencies, KeyResolver registered) {
        Path f1 = sampleDir().resolve("F1-tax-to-hub-payment-consultation.json");
        SigningKey tax = signingKey(agencies, "tsunagi-tax");
        String signed = new String(MessageSignatures.sign(read(f1), tax), StandardCharsets.UTF_8);
        expectRefusal("an amount changed after signing", signed.replaceFirst("\"amountYen\" : ([0-9]+)", "\"amountYen\" : 1$1")
                .getBytes(StandardCharsets.UTF_8), registered, agencies, "signature.invalid");

        ObjectNode withoutTaxConsent = (ObjectNode) JsonCodec.parse(read(f1));
        ArrayNode categories = (ArrayNode) withoutTaxConsent.at("/referral/basis/consent/dataCategories");
        for (int i = categories.size() - 1; i >= 0; i--) {
            if (categories.get(i).asText().equals("TAX_ARREARS")) {
                categories.remove(i);
            }
        }
        expectRefusal("tax arrears under a consent that does not name them", MessageSignatures.sign(JsonCodec.write(withoutTaxConsent), tax),
                registered, agencies, "consent.category_missing");

        expectRefusal("the tax desk's referral signed with the hub's key", MessageSignatures.sign(read(f1), signingKey(agencies, "tsunagi-hub")),
                registered, agencies, "signature.sender_mismatch");

        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE message [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<message xmlns=\"urn:tsunagi:message:1\">&x;</message>";
        expectRefusal("an XML external entity (XXE)", xxe.getBytes(StandardCharsets.UTF_8), registered, agencies, "message.dtd_forbidden");
    }

    private void expectRefusal(String what, byte[] document, KeyResolver registered, AgencyDirectory agencies, String expected) {
        String got;
        try {
            VerifiedSignature signer = MessageSignatures.verify(document, registered);
            Message message = reader.read(document);
            Set<Problem> problems = new LinkedHashSet<>();
            VerifyCommand.checkSigner(agencies, signer, message, problems);
            got = problems.isEmpty() ? "ACCEPTED" : problems.iterator().next().code().code();
        } catch (MessageRejectedException e) {
            got = e.code().code() + (e.problems().get(0).path().isEmpty() ? "" : " at " + e.problems().get(0).path());
        }
        allAsExpected &= got.startsWith(expected);
        out.println("  " + what + ": refused, " + got);
    }

    private SigningKey signingKey(AgencyDirectory agencies, String id) {
        return AgencyKeys.signingKey(agencies, keys, id);
    }

    private static String name(AgencyDirectory agencies, String id) {
        return agencies.agency(id).map(Agency::name).orElse(id);
    }

    private static String flowId(Path sample) {
        return sample.getFileName().toString().split("-")[0];
    }

    private static Path twin(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", ".xml"));
    }

    private List<Path> samples(String extension) {
        try (Stream<Path> files = Files.list(sampleDir())) {
            return files.filter(p -> p.toString().endsWith("." + extension))
                    .sorted((a, b) -> Integer.compare(flowNumber(a), flowNumber(b)) != 0
                            ? Integer.compare(flowNumber(a), flowNumber(b)) : a.compareTo(b))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no samples at " + sampleDir(), e);
        }
    }

    private static int flowNumber(Path sample) {
        return Integer.parseInt(flowId(sample).substring(1));
    }

    private Path sampleDir() {
        if (samples != null) {
            return samples;
        }
        return Path.of(System.getProperty("tsunagi.home", ".")).resolve("schemas/samples");
    }

    private static byte[] read(Path file) {
        return Documents.read(file);
    }
}
