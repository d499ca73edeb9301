package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jp.tsunagi.connectors.config.StrictYaml;

/**
 * A declarative mapping (対応表) between an agency system's native format and the shared message, read from
 * {@code conf/mappings/<name>.yaml}: which native field (CSV column, fixed-width bytes, XML element, vendor JSON
 * field) holds which message field, converted how. Used in both directions: {@link #read(byte[])} turns a native
 * document into message fields record by record (a bad record is reported, never the whole batch), and
 * {@link #write(List)} turns messages into a native document. The language is documented in docs/connectors.md.
 */
public final class Mapping {
    private static final Set<String> MESSAGE_TYPES = Set.of("REFERRAL", "STATUS_UPDATE", "CONSENT_WITHDRAWAL", "RECEIPT");

    private final String name;
    private final String messageType;
    private final NativeFormat format;
    private final List<Rule> rules;
    private final Rule match;
    private final String matchValue;

    /** One compiled field of the mapping. */
    private record Rule(TreePath path, SchemaPaths.Leaf leaf, NativeFormat.Location location, List<Converter> converters,
                        Map<String, String> codes, Map<String, String> reverseCodes, boolean required,
                        String defaultValue, JsonNode constant, String fixed) {
    }

    private Mapping(String name, String messageType, NativeFormat format, List<Rule> rules, Rule match, String matchValue) {
        this.name = name;
        this.messageType = messageType;
        this.format = format;
        this.rules = rules;
        this.match = match;
        this.matchValue = matchValue;
    }

    /**
     * Reads and checks a mapping file.
     *
     * @throws IllegalArgumentException with every problem, each as "file, line N: what"
     */
    public static Mapping load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        StrictYaml yaml = StrictYaml.scan(file, bytes, "a mapping needs format, messageType and fields");
        MappingFile content = yaml.bind(bytes, MappingFile.class);
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return new Compiler(yaml, content).compile(name);
    }

    /** Every problem of the file ("file, line N: what"), empty if it is a valid mapping. */
    public static List<String> check(Path file) {
        try {
            load(file);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage().split("\n"));
        }
    }

    public String name() {
        return name;
    }

    /** The message type this mapping reads into or writes from. */
    public String messageType() {
        return messageType;
    }

    public String mediaType() {
        return format.mediaType();
    }

    public String fileExtension() {
        return format.fileExtension();
    }

    /**
     * Whether this mapping is for that document (XML root element, and the {@code match} field if declared). The
     * {@code match} field is read from the first record that can be read, so that one malformed first line does not
     * turn a whole batch away: that line is then rejected on its own, like any other.
     */
    public boolean matches(byte[] document) {
        if (format instanceof XmlFormat xml && !xml.hasRoot(document)) {
            return false;
        }
        if (match == null) {
            return true;
        }
        return format.read(document).records().stream().anyMatch(this::hasLayoutOf);
    }

    /** Whether the record can be read and its {@code match} field (if declared) says it is of this layout. */
    private boolean hasLayoutOf(NativeFormat.NativeRecord record) {
        if (record.problem() != null) {
            return false;
        }
        if (match == null) {
            return true;
        }
        try {
            String value = record.fields().apply(match.location());
            return value != null && matchValue.equals(value.strip());
        } catch (IllegalArgumentException e) {
            return false; // the match field cannot be read (e.g. a kanji cut by a field boundary)
        }
    }

    /** Reads every record of a native document into message fields, each record on its own; see {@link #read(List, byte[])}. */
    public List<MappedRecord> read(byte[] document) {
        return read(List.of(this), document);
    }

    /**
     * Reads every record of a native document, each on its own and each with the layout it has: the first of the
     * mappings whose {@code match} fits that record (a batch file may mix record types, a tax desk's referrals (1)
     * and withdrawals (9)); every {@code fixed} value is checked on every record. A record of none of the layouts is
     * rejected ({@code mapping.no_match}), the others go on. A problem of the whole document (a CSV header lacking a
     * mapped column) refuses it as one result numbered 0, with no record read; so does a document no mapping reads.
     * An empty document has no records.
     */
    public static List<MappedRecord> read(List<Mapping> mappings, byte[] document) {
        Map<Mapping, NativeFormat.NativeDocument> read = new LinkedHashMap<>();
        for (Mapping mapping : mappings) {
            if (!(mapping.format instanceof XmlFormat xml) || xml.hasRoot(document)) {
                read.put(mapping, mapping.format.read(document));
            }
        }
        int count = read.values().stream().mapToInt(d -> d.records().size()).max().orElse(0);
        List<Mapping> chosen = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            chosen.add(read.entrySet().stream().filter(e -> index < e.getValue().records().size()
                    && e.getKey().hasLayoutOf(e.getValue().records().get(index))).map(Map.Entry::getKey).findFirst().orElse(null));
        }
        String names = String.join(", ", mappings.stream().map(Mapping::name).toList());
        var refusal = read.entrySet().stream().filter(e -> e.getValue().problem() != null)
                .filter(e -> chosen.contains(e.getKey()) || chosen.stream().allMatch(m -> m == null)).findFirst();
        if (refusal.isPresent()) {
            return List.of(new MappedRecord(0, sha256(document), refusal.get().getKey(), null, refusal.get().getValue().problem()));
        }
        if (read.isEmpty() || count > 0 && chosen.stream().allMatch(m -> m == null)
                && read.values().stream().allMatch(d -> d.records().stream().allMatch(r -> r.problem() == null))) {
            return List.of(new MappedRecord(0, sha256(document), null, null,
                    new RecordProblem("mapping.no_match", "none of the mappings " + names + " reads this document")));
        }
        List<MappedRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Mapping mapping = chosen.get(i);
            if (mapping != null) {
                out.add(mapping.readRecord(read.get(mapping).records().get(i)));
                continue;
            }
            int index = i;
            List<NativeFormat.NativeRecord> versions = read.values().stream().filter(d -> index < d.records().size())
                    .map(d -> d.records().get(index)).toList();
            NativeFormat.NativeRecord record = versions.get(0);
            RecordProblem problem = versions.stream().allMatch(r -> r.problem() != null) ? record.problem()
                    : new RecordProblem("mapping.no_match", "the record has none of the layouts " + names);
            out.add(new MappedRecord(record.number(), sha256(record.raw()), null, null, problem));
        }
        return out;
    }

    private MappedRecord readRecord(NativeFormat.NativeRecord record) {
        String sha = sha256(record.raw());
        try {
            return new MappedRecord(record.number(), sha, this, fields(record), null);
        } catch (RecordException e) {
            return new MappedRecord(record.number(), sha, this, null, e.problem);
        }
    }

    private ObjectNode fields(NativeFormat.NativeRecord record) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("messageType", messageType);
        for (Rule rule : rules) {
            if (rule.fixed() != null) {
                checkFixed(rule, record); // a native constant (record type, filler): checked, not a message field
                continue;
            }
            if (rule.constant() != null) {
                rule.path().set(message, rule.constant().deepCopy());
                continue;
            }
            String value;
            try {
                value = record.fields().apply(rule.location());
                value = value == null ? "" : value;
                for (Converter converter : rule.converters()) {
                    value = value.isBlank() ? value : converter.read(value);
                }
            } catch (IllegalArgumentException | DateTimeException e) {
                String code = e.getMessage() != null && e.getMessage().contains("Windows-31J") ? "mapping.encoding" : "mapping.invalid_value";
                throw problem(rule, code, why(e));
            }
            if (!value.isBlank() && rule.codes() != null) {
                String code = rule.codes().get(value.strip());
                if (code == null) {
                    throw problem(rule, "mapping.unknown_code", "not in the code table");
                }
                value = code;
            }
            if (value.isBlank()) {
                if (rule.defaultValue() != null) {
                    value = rule.defaultValue();
                } else if (rule.required()) {
                    throw problem(rule, "mapping.required", "is required and empty");
                } else {
                    continue;
                }
            }
            rule.path().set(message, typed(rule, value));
        }
        TreePath.compact(message);
        return message;
    }

    /** A record whose native constant is not this layout's is not read with this layout. */
    private void checkFixed(Rule rule, NativeFormat.NativeRecord record) {
        String value;
        try {
            value = record.fields().apply(rule.location());
        } catch (IllegalArgumentException e) {
            value = null;
        }
        if (value == null || !rule.fixed().strip().equals(value.strip())) {
            throw new RecordException(new RecordProblem("mapping.no_match", format.describe(rule.location())
                    + ": not \"" + rule.fixed() + "\", the fixed value of " + name));
        }
    }

    private JsonNode typed(Rule rule, String value) {
        if (rule.leaf().isBoolean()) {
            String flag = value.strip();
            if (!flag.equals("true") && !flag.equals("false")) {
                throw problem(rule, "mapping.invalid_value", "is not true or false (map the native flag with codes)");
            }
            return BooleanNode.valueOf(flag.equals("true"));
        }
        if (!rule.leaf().isInteger()) {
            return TextNode.valueOf(value);
        }
        try {
            long number = Long.parseLong(value.strip().replace(",", ""));
            return number == (int) number ? IntNode.valueOf((int) number) : LongNode.valueOf(number);
        } catch (NumberFormatException e) {
            throw problem(rule, "mapping.not_a_number", "is not a whole number");
        }
    }

    /**
     * Writes messages (as JSON trees) as one native document: a batch file for CSV and fixed width, one document for
     * XML and JSON (then exactly one message).
     *
     * @throws RecordException if a message cannot be written (a required field missing, a code without a native
     *                         code, a value too wide for its field or not writable in the encoding)
     */
    public byte[] write(List<? extends JsonNode> messages) {
        List<Map<NativeFormat.Location, String>> records = new ArrayList<>();
        for (JsonNode message : messages) {
            records.add(writeRecord(message));
        }
        List<NativeFormat.Location> layout = rules.stream().map(Rule::location).filter(l -> l != null).toList();
        try {
            return format.write(layout, records);
        } catch (IllegalArgumentException e) {
            throw new RecordException(new RecordProblem(e.getMessage().contains("wider") ? "mapping.too_wide" : "mapping.encoding",
                    why(e)));
        }
    }

    private Map<NativeFormat.Location, String> writeRecord(JsonNode message) {
        Map<NativeFormat.Location, String> record = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (rule.location() == null) {
                continue;
            }
            if (rule.fixed() != null) {
                record.put(rule.location(), rule.fixed());
                continue;
            }
            JsonNode node = rule.path().get(message);
            if (node == null || node.isContainerNode()) {
                if (rule.required() && rule.defaultValue() == null) {
                    throw problem(rule, "mapping.required", "is required and the message has no value");
                }
                continue;
            }
            String value = node.asText();
            if (rule.reverseCodes() != null) {
                value = rule.reverseCodes().get(value);
                if (value == null) {
                    throw problem(rule, "mapping.unknown_code", "has no native code in the code table");
                }
            }
            try {
                for (int i = rule.converters().size() - 1; i >= 0; i--) {
                    value = rule.converters().get(i).write(value);
                }
            } catch (IllegalArgumentException | DateTimeException e) {
                throw problem(rule, "mapping.invalid_value", why(e));
            }
            record.put(rule.location(), value);
        }
        return record;
    }

    private RecordException problem(Rule rule, String code, String why) {
        String where = rule.location() == null ? "" : format.describe(rule.location()) + " -> ";
        return new RecordException(new RecordProblem(code, where + rule.path().text() + ": " + why));
    }

    private static String why(RuntimeException e) {
        return e instanceof DateTimeException && !(e.getCause() instanceof IllegalArgumentException)
                ? "is not a valid date" : e.getMessage() == null ? "cannot be converted" : e.getMessage();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record (or message) that the mapping cannot convert; carries the problem, never the value. */
    public static final class RecordException extends RuntimeException {
        private final transient RecordProblem problem;

        RecordException(RecordProblem problem) {
            super(problem.toString(), null, false, false);
            this.problem = problem;
        }

        public RecordProblem problem() {
            return problem;
        }
    }

    /** Checks the bound file against the format and the message schema, collecting every problem with its line. */
    private static final class Compiler {
        private final StrictYaml yaml;
        private final MappingFile file;
        private final List<String> problems = new ArrayList<>();

        Compiler(StrictYaml yaml, MappingFile file) {
            this.yaml = yaml;
            this.file = file;
        }

        Mapping compile(String name) {
            if (file.format() == null) {
                problem("", "format is required (csv, fixed-width, xml or json)");
            }
            if (file.messageType() == null || !MESSAGE_TYPES.contains(file.messageType())) {
                problem("/messageType", "messageType is one of " + String.join(", ", MESSAGE_TYPES.stream().sorted().toList()));
            }
            Charset charset = charset();
            if (file.format() == NativeFormat.Kind.FIXED_WIDTH) {
                if (file.recordLength() == null || file.recordLength() < 1) {
                    problem("", "a fixed-width mapping needs recordLength (bytes per record)");
                }
                if (!charset.name().equalsIgnoreCase("windows-31j")) {
                    problem("/encoding", "fixed-width records are read in Windows-31J");
                }
            }
            if (file.fields() == null || file.fields().isEmpty()) {
                problem("", "fields is required: at least one field");
            }
            if (file.format() == NativeFormat.Kind.CSV && !CsvFormat.cutsOnBytes(charset)) {
                problem("/encoding", "CSV is read in UTF-8 or Windows-31J");
            }
            CsvFormat.HeaderRule headerRule = headerRule();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            NativeFormat format = NativeFormat.of(file, charset, headerRule);
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < file.fields().size(); i++) {
                Rule rule = rule(format, file.fields().get(i), "/fields/" + i);
                if (rule != null) {
                    rules.add(rule);
                }
            }
            Rule match = null;
            if (file.match() != null) {
                MappingFile.Match m = file.match();
                NativeFormat.Location location = new NativeFormat.Location(m.column(), m.start(), m.length(), m.element(), m.field(), null, null, false);
                String why = format.checkLocation(location);
                if (why != null || m.equals() == null) {
                    problem("/match", "match: " + (why != null ? why : "equals is required"));
                } else {
                    match = new Rule(null, null, location, List.of(), null, null, false, null, null, null);
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return new Mapping(name, file.messageType(), format, List.copyOf(rules), match,
                    file.match() == null ? null : file.match().equals());
        }

        /**
         * What a CSV header must have: every column a field or match names, less {@code optionalColumns}; with
         * {@code strict: true}, nothing beyond them and {@code ignoredColumns}.
         */
        private CsvFormat.HeaderRule headerRule() {
            boolean csvWithHeader = file.format() == NativeFormat.Kind.CSV && !Boolean.FALSE.equals(file.header());
            if (!csvWithHeader) {
                if (file.strict() != null || file.optionalColumns() != null || file.ignoredColumns() != null) {
                    problem("", "strict, optionalColumns and ignoredColumns are for CSV with a header row");
                }
                return CsvFormat.HeaderRule.NONE;
            }
            Set<String> mapped = new LinkedHashSet<>();
            for (MappingFile.Field f : file.fields()) {
                if (f != null && f.column() != null) {
                    mapped.add(f.column());
                }
            }
            if (file.match() != null && file.match().column() != null) {
                mapped.add(file.match().column());
            }
            List<String> optional = file.optionalColumns() == null ? List.of() : file.optionalColumns();
            for (int i = 0; i < optional.size(); i++) {
                if (!mapped.contains(optional.get(i))) {
                    problem("/optionalColumns/" + i, "optionalColumns: " + optional.get(i) + " is not the column of any field");
                }
            }
            List<String> ignored = file.ignoredColumns() == null ? List.of() : file.ignoredColumns();
            for (int i = 0; i < ignored.size(); i++) {
                if (mapped.contains(ignored.get(i))) {
                    problem("/ignoredColumns/" + i, "ignoredColumns: " + ignored.get(i) + " is read by a field (list it under optionalColumns if it may be absent)");
                }
            }
            return new CsvFormat.HeaderRule(Set.copyOf(mapped), Set.copyOf(optional), Set.copyOf(ignored),
                    Boolean.TRUE.equals(file.strict()));
        }

        private Charset charset() {
            String encoding = file.encoding() == null ? "UTF-8" : file.encoding();
            try {
                return Charset.forName(encoding);
            } catch (IllegalArgumentException e) {
                problem("/encoding", "unknown encoding (UTF-8 or Windows-31J)");
                return StandardCharsets.UTF_8;
            }
        }

        private Rule rule(NativeFormat format, MappingFile.Field f, String at) {
            if (f == null) {
                problem(at, "an empty field");
                return null;
            }
            if (f.fixed() != null) {
                return fixed(format, f, at);
            }
            TreePath path;
            SchemaPaths.Leaf leaf;
            try {
                path = TreePath.parse(f.path());
                leaf = SchemaPaths.resolve(path);
            } catch (IllegalArgumentException e) {
                problem(at + "/path", "path: " + e.getMessage());
                return null;
            }
            NativeFormat.Location location = null;
            boolean located = f.column() != null || f.start() != null || f.length() != null || f.element() != null || f.field() != null;
            if (f.value() != null) {
                if (located || f.convert() != null || f.codes() != null || f.codeTable() != null) {
                    problem(at, path.text() + ": value (a constant) takes no native field, converters or codes");
                }
                checkConstant(at + "/value", path, leaf, f.value());
            } else {
                location = location(f);
                String why = format.checkLocation(location);
                if (why != null) {
                    problem(at, path.text() + ": " + why);
                }
                if (leaf.type().equals("object") || leaf.type().equals("array")) {
                    problem(at + "/path", path.text() + " is a " + leaf.type() + " in the message schema; map its fields (or items, with [n])");
                }
            }
            List<Converter> converters = new ArrayList<>();
            for (String name : f.convert() == null ? List.<String>of() : f.convert()) {
                try {
                    converters.add(Converter.named(name));
                } catch (IllegalArgumentException e) {
                    problem(at + "/convert", path.text() + ": " + e.getMessage());
                }
            }
            Map<String, String> codes = f.codes();
            if (f.codeTable() != null) {
                codes = file.codeTables() == null ? null : file.codeTables().get(f.codeTable());
                if (codes == null || f.codes() != null) {
                    problem(at + "/codeTable", path.text() + ": " + (f.codes() != null ? "codes and codeTable together"
                            : "no code table \"" + f.codeTable() + "\" under codeTables"));
                }
            }
            Map<String, String> reverse = null;
            if (codes != null) {
                reverse = new LinkedHashMap<>();
                for (Map.Entry<String, String> code : codes.entrySet()) {
                    if (!leaf.codes().contains(code.getValue())) {
                        problem(at + "/codes", path.text() + ": code table value \"" + code.getValue() + "\" is not a code of the message schema");
                    }
                    reverse.putIfAbsent(code.getValue(), code.getKey());
                }
            }
            if (f.defaultValue() != null && !leaf.codes().isEmpty() && !leaf.codes().contains(f.defaultValue())) {
                problem(at + "/default", path.text() + ": default \"" + f.defaultValue() + "\" is not a code of the message schema");
            }
            return new Rule(path, leaf, location, List.copyOf(converters), codes == null ? null : Map.copyOf(codes),
                    reverse, Boolean.TRUE.equals(f.required()), f.defaultValue(), f.value(), null);
        }

        /** {@code fixed: "2"}: a native constant written as is (a record type, a version), no message path. */
        private Rule fixed(NativeFormat format, MappingFile.Field f, String at) {
            if (f.path() != null || f.value() != null || f.convert() != null || f.codes() != null || f.codeTable() != null) {
                problem(at, "fixed (a native constant) takes no path, value, converters or codes");
            }
            NativeFormat.Location location = location(f);
            String why = format.checkLocation(location);
            if (why != null) {
                problem(at, "fixed: " + why);
            }
            return new Rule(TreePath.parse("fixed"), null, location, List.of(), null, null, false, null, null, f.fixed());
        }

        private static NativeFormat.Location location(MappingFile.Field f) {
            return new NativeFormat.Location(f.column(), f.start(), f.length(), f.element(), f.field(), f.align(), f.pad(),
                    Boolean.TRUE.equals(f.truncate()));
        }

        private void checkConstant(String at, TreePath path, SchemaPaths.Leaf leaf, JsonNode value) {
            SchemaPaths.Leaf scalar = value.isArray() ? leaf.items() : leaf;
            if (value.isArray() != "array".equals(leaf.type()) || scalar == null) {
                problem(at, path.text() + ": value must be " + (leaf.type().equals("array") ? "a list" : "a single value"));
                return;
            }
            for (JsonNode item : value.isArray() ? value : List.of(value)) {
                if (!scalar.codes().isEmpty() && !scalar.codes().contains(item.asText())) {
                    problem(at, path.text() + ": \"" + item.asText() + "\" is not a code of the message schema");
                }
                if (scalar.isInteger() && !item.canConvertToLong()) {
                    problem(at, path.text() + ": value must be a whole number");
                }
            }
        }

        private void problem(String pointer, String what) {
            problems.add(yaml.at(pointer) + what);
        }
    }

    @Override
    public String toString() {
        return "mapping " + name + " (" + messageType.toLowerCase(Locale.ROOT) + ")";
    }
}
