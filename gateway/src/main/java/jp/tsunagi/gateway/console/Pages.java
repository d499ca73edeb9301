package jp.tsunagi.gateway.console;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.IMessageResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The console's pages: Thymeleaf templates under {@code console/templates/}, their words in
 * {@code console/messages.properties} (Japanese; a {@code messages_en.properties} beside it would give English). Data
 * goes into pages only through {@code th:text} and attribute values, which Thymeleaf escapes.
 */
final class Pages {
    static final Locale JAPANESE = Locale.JAPANESE;
    private final TemplateEngine engine = new TemplateEngine();

    Pages() {
        ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        templates.setPrefix("console/templates/");
        templates.setSuffix(".html");
        templates.setTemplateMode(TemplateMode.HTML);
        templates.setCharacterEncoding("UTF-8");
        templates.setCacheable(true);
        engine.setTemplateResolver(templates);
        engine.setMessageResolver(new Messages());
    }

    String render(String template, Map<String, Object> variables) {
        return engine.process(template, new Context(JAPANESE, variables));
    }

    /** A word of the messages file (for texts built in Java, e.g. labels of a select). */
    static String message(String key, Object... parameters) {
        try {
            String pattern = ResourceBundle.getBundle("console.messages", JAPANESE).getString(key);
            return parameters.length == 0 ? pattern : new MessageFormat(pattern, JAPANESE).format(parameters);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    /** {@code #{key}} in templates, from {@code console/messages*.properties} (UTF-8). */
    private static final class Messages implements IMessageResolver {
        @Override
        public String getName() {
            return "tsunagi-console";
        }

        @Override
        public Integer getOrder() {
            return 0;
        }

        @Override
        public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] parameters) {
            try {
                String pattern = ResourceBundle.getBundle("console.messages", context.getLocale()).getString(key);
                return parameters == null || parameters.length == 0 ? pattern
                        : new MessageFormat(pattern, context.getLocale()).format(parameters);
            } catch (MissingResourceException e) {
                return null;
            }
        }

        @Override
        public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key,
                Object[] parameters) {
            return "??" + key + "??";
        }
    }
}
