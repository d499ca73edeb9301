package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dotted path into a JSON tree, with 0-based array indexes: {@code referral.subject.kana.family},
 * {@code referral.issues[1]}, {@code referral.taxArrears.items[0].amountYen}. Used for message paths and for the
 * field paths of vendor JSON documents.
 */
record TreePath(String text, List<Step> steps) {
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d{1,3}])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,3})]");

    /** One member name and the array indexes that follow it ({@code items[0]}: name items, indexes [0]). */
    record Step(String name, List<Integer> indexes) {
    }

    static TreePath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a path is needed");
        }
        List<Step> steps = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("\"" + text + "\" is not a path (name.name[0].name)");
            }
            List<Integer> indexes = new ArrayList<>();
            Matcher i = INDEX.matcher(m.group(2));
            while (i.find()) {
                indexes.add(Integer.parseInt(i.group(1)));
            }
            steps.add(new Step(m.group(1), List.copyOf(indexes)));
        }
        return new TreePath(text, List.copyOf(steps));
    }

    /** The node at this path, or null. */
    JsonNode get(JsonNode root) {
        JsonNode node = root;
        for (Step step : steps) {
            node = node == null ? null : node.get(step.name());
            for (int index : step.indexes()) {
                node = node == null ? null : node.get(index);
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /**
     * Sets the value, creating objects and arrays on the way; missing array items before the index are held by
     * nulls, which {@link #compact(JsonNode)} removes once a record is complete (so {@code issues[0]} and
     * {@code issues[2]} with an empty {@code issues[1]} give a two-item array, not a gap).
     */
    void set(ObjectNode root, JsonNode value) {
        JsonNode container = root;
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            boolean last = s == steps.size() - 1;
            ObjectNode object = (ObjectNode) container;
            if (step.indexes().isEmpty()) {
                if (last) {
                    object.set(step.name(), value);
                    return;
                }
                container = object.get(step.name()) instanceof ObjectNode o ? o : object.putObject(step.name());
                continue;
            }
            JsonNode node = object.get(step.name()) instanceof ArrayNode a ? a : object.putArray(step.name());
            for (int i = 0; i < step.indexes().size(); i++) {
                ArrayNode array = (ArrayNode) node;
                int index = step.indexes().get(i);
                while (array.size() <= index) {
                    array.addNull();
                }
                if (last && i == step.indexes().size() - 1) {
                    array.set(index, value);
                    return;
                }
                boolean wantArray = i < step.indexes().size() - 1;
                JsonNode current = array.get(index);
                if (wantArray ? !current.isArray() : !current.isObject()) {
                    current = wantArray ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
                    array.set(index, current);
                }
                node = current;
            }
            container = node;
        }
    }

    /** Removes null array items, then empty objects and arrays, bottom up. */
    static void compact(JsonNode node) {
        if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                compact(array.get(i));
                if (empty(array.get(i))) {
                    array.remove(i);
                }
            }
        } else if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compact(object.get(name));
                if (empty(object.get(name))) {
                    object.remove(name);
                }
            }
        }
    }

    private static boolean empty(JsonNode node) {
        return node == null || node.isNull() || (node.isContainerNode() && node.isEmpty());
    }
}
