package jp.tsunagi.gateway.settings;

import java.util.List;

/** gateway.properties is wrong: every problem, each "file:line: what", one per line of the message. */
public final class SettingsException extends IllegalArgumentException {
    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
