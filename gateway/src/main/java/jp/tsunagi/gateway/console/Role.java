package jp.tsunagi.gateway.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The roles of console accounts (権限). Each page names the roles that may open it; the server checks that on every
 * request ({@link Console}), not only by hiding links. The ids are what the command line and the database use.
 */
public enum Role {
    /** 管理者: accounts, configuration view, dead-letter actions. */
    ADMINISTRATOR("administrator", "管理者"),
    /** 監査者: audit trail, integrity, export, disclosure. */
    AUDITOR("auditor", "監査者"),
    /** 運用担当: referrals and deliveries, without personal data. */
    OPERATOR("operator", "運用担当"),
    /** 閲覧: dashboards only. */
    VIEWER("viewer", "閲覧");

    private final String id;
    private final String label;

    Role(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() {
        return id;
    }

    /** The Japanese name users see. */
    public String label() {
        return label;
    }

    /** By id ({@code administrator}, ...), any case; an {@link IllegalArgumentException} listing the ids otherwise. */
    public static Role of(String id) {
        for (Role role : values()) {
            if (role.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
