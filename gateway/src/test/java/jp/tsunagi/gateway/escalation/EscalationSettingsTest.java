package jp.tsunagi.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Properties;
import jp.tsunagi.gateway.app.GatewaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EscalationSettingsTest {
    @TempDir
    Path dir;

    @Test
    void the_shipped_gateway_properties_give_five_business_days_checked_hourly_without_extra_closing_days() {
        EscalationSettings settings = GatewaySettings.load(Path.of("../conf")).escalation();

        assertThat(settings).isEqualTo(EscalationSettings.defaults());
        assertThat(settings.businessDays()).isEqualTo(5);
        assertThat(settings.checkInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.closedDays()).isEmpty();
    }

    @Test
    void the_properties_set_the_days_the_interval_and_the_municipalitys_closing_days() throws Exception {
        Files.writeString(dir.resolve(GatewaySettings.FILE_NAME), String.join("\n",
                "tsunagi.escalation.business-days=3",
                "tsunagi.escalation.check-interval=PT15M",
                "tsunagi.escalation.closed-days= 2026-10-01 , 2027-10-01,",
                ""));

        EscalationSettings settings = GatewaySettings.load(dir).escalation();

        assertThat(settings.businessDays()).isEqualTo(3);
        assertThat(settings.checkInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.closedDays()).containsExactly(LocalDate.of(2026, 10, 1), LocalDate.of(2027, 10, 1));
        assertThat(settings.calendar().isBusinessDay(LocalDate.of(2026, 10, 1))).isFalse();
    }

    @Test
    void a_malformed_or_out_of_range_value_is_refused_naming_the_property() {
        assertThatThrownBy(() -> load("tsunagi.escalation.business-days", "five")).hasMessageContaining("tsunagi.escalation.business-days");
        assertThatThrownBy(() -> load("tsunagi.escalation.business-days", "0")).hasMessageContaining("1 to 250");
        assertThatThrownBy(() -> load("tsunagi.escalation.check-interval", "1h")).hasMessageContaining("tsunagi.escalation.check-interval");
        assertThatThrownBy(() -> load("tsunagi.escalation.check-interval", "PT0S")).hasMessageContaining("1 second to 1 day");
        assertThatThrownBy(() -> load("tsunagi.escalation.closed-days", "2026-10-01,10/02")).hasMessageContaining("10/02");
        assertThatThrownBy(() -> load("tsunagi.escalation.closed-days", "2101-10-01")).hasMessageContaining("2020-2099");
    }

    @Test
    void config_check_reports_a_bad_escalation_setting_with_its_file() throws Exception {
        Files.writeString(dir.resolve(GatewaySettings.FILE_NAME), "tsunagi.escalation.business-days=-1\n");

        assertThatThrownBy(() -> GatewaySettings.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(GatewaySettings.FILE_NAME).hasMessageContaining("tsunagi.escalation.business-days");
    }

    private static EscalationSettings load(String name, String value) {
        Properties p = new Properties();
        p.setProperty(name, value);
        return EscalationSettings.fromProperties(p);
    }
}
