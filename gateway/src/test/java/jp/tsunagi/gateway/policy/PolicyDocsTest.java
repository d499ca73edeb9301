package jp.tsunagi.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDocsTest {
    private static final Path DOC = Path.of("../docs/policy.md");

    static List<String> codes() throws IllegalAccessException {
        List<String> codes = new ArrayList<>();
        for (Field field : PolicyCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                codes.add((String) field.get(null));
            }
        }
        return codes;
    }

    @Test
    void every_decision_code_is_documented_for_integrators() throws IOException, IllegalAccessException {
        String doc = Files.readString(DOC);

        assertThat(codes()).isNotEmpty();
        for (String code : codes()) {
            assertThat(doc).as(code).contains("`" + code + "`");
        }
    }

    @Test
    void decision_codes_are_unique_and_of_the_form_area_dot_name() throws IllegalAccessException {
        assertThat(codes()).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z_]+\\.[a-z_]+"));
    }
}
