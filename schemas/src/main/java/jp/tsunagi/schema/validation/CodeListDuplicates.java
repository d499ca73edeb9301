package jp.tsunagi.schema.validation;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every code list of a message names each code once (10,000 copies of one issue code were accepted and forwarded):
 * found by walking the generated model, so a code list added to the schema is covered without a line here. The JSON
 * Schema says the same with {@code uniqueItems}; this is the rule for XML and for models built in code.
 */
final class CodeListDuplicates {
    private static final String MODEL = "jp.tsunagi.schema.model.";

    private CodeListDuplicates() {
    }

    static void find(Object node, String pointer, List<Problem> problems) {
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the generated model has an unreadable property " + getter, e);
            }
            String path = pointer + "/" + Introspector.decapitalize(getter.getName().substring(3));
            if (value instanceof List<?> list) {
                Set<Object> seen = new HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    Object item = list.get(i);
                    if (item instanceof Enum<?> && !seen.add(item)) {
                        problems.add(Problem.of(ProblemCode.FIELD_DUPLICATE, path + "/" + i, "repeats a code named before in the list"));
                    } else if (isModel(item)) {
                        find(item, path + "/" + i, problems);
                    }
                }
            } else if (isModel(value)) {
                find(value, path, problems);
            }
        }
    }

    private static boolean isModel(Object value) {
        return value != null && !(value instanceof Enum<?>) && value.getClass().getName().startsWith(MODEL);
    }
}
