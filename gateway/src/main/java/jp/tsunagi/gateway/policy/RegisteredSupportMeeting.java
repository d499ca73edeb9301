package jp.tsunagi.gateway.policy;

import java.util.List;
import jp.tsunagi.connectors.config.StrictYaml;

/**
 * A support meeting (支援会議) registered in {@code conf/policy.yaml}: a statutory meeting whose members may share a
 * person's information without consent, bound by confidentiality. It declares its statute ({@link Statute}); a
 * meeting without one (such as a 重層的支援会議, which needs consent) cannot be registered. Only its registered members
 * may send or receive on its basis.
 */
public record RegisteredSupportMeeting(String id, String name, Statute basis, List<String> members) {
    public RegisteredSupportMeeting {
        members = StrictYaml.copy(members);
    }

    public boolean isMember(String agencyId) {
        return members.contains(agencyId);
    }

    /** The Acts that establish a support meeting whose members share without consent. The names are configuration. */
    public enum Statute {
        /** 生活困窮者自立支援法第9条 (支援会議). */
        NEEDY_PERSONS_ACT_ART9("生活困窮者自立支援法第9条", "Needy Persons Independence Support Act art. 9"),
        /** 社会福祉法第106条の6: the 支援会議 of the multi-layered support project (not its 重層的支援会議). */
        SOCIAL_WELFARE_ACT_ART106_6("社会福祉法第106条の6", "Social Welfare Act art. 106-6");

        private final String japanese;
        private final String english;

        Statute(String japanese, String english) {
            this.japanese = japanese;
            this.english = english;
        }

        /** e.g. "Needy Persons Independence Support Act art. 9 (生活困窮者自立支援法第9条)". */
        public String law() {
            return english + " (" + japanese + ")";
        }
    }
}
