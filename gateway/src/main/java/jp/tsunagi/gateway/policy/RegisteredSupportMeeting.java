package jp.tsunagi.gateway.policy;

import java.util.List;
import jp.tsunagi.connectors.config.StrictYaml;

/**
 * A support meeting (支援会議) registered in {@code conf/policy.yaml}: the statutory meeting of the Needy Persons
 * Independence Support Act art. 9 (or Social Welfare Act art. 106-6) whose members may share a person's information
 * without consent, bound by confidentiality. Only its registered members may send or receive on its basis.
 */
public record RegisteredSupportMeeting(String id, String name, List<String> members) {
    public RegisteredSupportMeeting {
        members = StrictYaml.copy(members);
    }

    public boolean isMember(String agencyId) {
        return members.contains(agencyId);
    }
}
