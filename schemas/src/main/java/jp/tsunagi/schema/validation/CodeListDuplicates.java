package jp.tsunagi.schema.validation;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
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

    /** The properties of each model class, found once (looking them up for every message cost CPU). */
    private static final ClassValue<List<Property>> PROPERTIES = new ClassValue<>() {
        @Override
        protected List<Property> computeValue(Class<?> type) {
            List<Property> properties = new ArrayList<>();
            for (Method getter : type.getMethods()) {
                if (getter.getParameterCount() == 0 && !Modifier.isStatic(getter.getModifiers())
                        && getter.getDeclaringClass() != Object.class && getter.getName().startsWith("get")) {
                    properties.add(new Property(getter, Introspector.decapitalize(getter.getName().substring(3))));
                }
            }
            return List.copyOf(properties);
        }
    };

    private record Property(Method getter, String name) {
    }

    static void find(Object node, String pointer, List<Problem> problems) {
        for (Property property : PROPERTIES.get(node.getClass())) {
            Method getter = property.getter();
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the generated model has an unreadable property " + getter, e);
            }
            if (value instanceof List<?> list) {
                String path = pointer + "/" + property.name();
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
                find(value, pointer + "/" + property.name(), problems);
            }
        }
    }

    private static boolean isModel(Object value) {
        return value != null && !(value instanceof Enum<?>) && value.getClass().getName().startsWith(MODEL);
    }
}
