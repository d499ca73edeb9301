package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * 同意 and 本人開示 in a real headless Chromium, against a gateway whose agencies' systems are simulated: an auditor
 * produces a person's disclosure, prints and downloads it, and sees the console's own view listed; an administrator
 * records a withdrawal made at a counter and sees the copies it stopped, with the effects a withdrawal message has.
 */
class PeoplePagesBrowserTest {
    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    @TempDir
    Path dir;

    private PeopleFixture f;

    @BeforeEach
    void gateway() throws Exception {
        f = new PeopleFixture(dir);
        browser.visit(f.base);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void an_auditor_produces_a_persons_disclosure_prints_and_downloads_it_and_sees_the_consoles_own_view_listed()
            throws Exception {
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        f.await("SELECT COUNT(*) FROM outbox WHERE referral_id = '" + PeopleFixture.REFERRAL + "' AND status = 'DELIVERED'",
                n -> n == 1);
        browser.logIn("auditor");

        browser.click(By.linkText("本人開示"));
        browser.accessible("disclosure-form");
        browser.find(By.id("kanaFamily")).sendKeys(PeopleFixture.KANA_FAMILY);
        browser.find(By.id("kanaGiven")).sendKeys(PeopleFixture.KANA_GIVEN);
        browser.driver().executeScript("document.getElementById('birthDate').value = arguments[0]", PeopleFixture.BIRTH_DATE);
        new Select(browser.find(By.id("purpose"))).selectByVisibleText("本人からの開示請求への対応");
        browser.click(By.cssSelector("form[action='/admin/disclosure/show'] button"));

        assertThat(browser.text()).contains("提供記録の開示").contains("ヤマモト マコト（1971-11-30）");
        List<String> provision = browser.cells("#provisions tbody tr");
        assertThat(provision).contains("tsunagi-hub", "tsunagi-welfare", "本人同意 CNS-2026-0043", PeopleFixture.REFERRAL);
        assertThat(provision).anyMatch(cell -> cell.startsWith("配信済み"))
                .anyMatch(cell -> cell.equals("2027-03-31 23:59:59 まで有効"));
        List<String> view = browser.cells("#views tbody tr");
        assertThat(view).as("this very disclosure is listed among the views of the person's records")
                .contains("auditor", "開示", "本人からの開示請求への対応", "disclosed");
        browser.accessible("disclosure");

        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        browser.screenshot("disclosure-print");
        assertThat(browser.find(By.tagName("nav")).isDisplayed()).as("printed without the menu").isFalse();
        assertThat(browser.find(By.cssSelector("form[action='/admin/disclosure/show']")).isDisplayed()).isFalse();
        assertThat(browser.find(By.id("provisions")).isDisplayed()).isTrue();
        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));

        browser.find(By.cssSelector("form[action='/admin/disclosure/download'] input[value=json] ~ button")).click();
        JsonNode file = JsonCodec.parse(Files.readAllBytes(browser.downloaded("disclosure-", ".json")));
        assertThat(file.at("/provisions/0/recipient").asText()).isEqualTo("tsunagi-welfare");
        assertThat(file.at("/consoleViews").findValuesAsText("outcome")).containsExactly("disclosed", "exported.json");

        assertThat(f.actionsOf("auditor")).containsExactly("CONSOLE_LOGIN:ok", "DISCLOSED:disclosed", "DISCLOSED:exported.json");
        assertThat(f.chainIntact()).as("audit verify after the browser session").isTrue();
    }

    @Test
    void an_administrator_records_a_counter_withdrawal_and_sees_the_copies_it_stopped_with_the_effects_of_a_withdrawal_message()
            throws Exception {
        f.g.recipients.answerWith("tsunagi-welfare", 503);
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        // tried and refused: the welfare office may have it, so it will be told of the withdrawal
        // and now waiting for its retry (put off to tomorrow), not on the wire: a copy on the wire cannot be stopped
        assertThat(f.awaitUpdate("UPDATE outbox SET next_attempt_at = CURRENT_TIMESTAMP + INTERVAL '1' DAY"
                + " WHERE referral_id = '" + PeopleFixture.REFERRAL + "' AND attempts > 0 AND claimed_by IS NULL"))
                .as("the tried copy put off").isEqualTo(1);
        browser.logIn("administrator");

        browser.click(By.linkText("同意"));
        assertThat(browser.cells("tbody tr")).contains(PeopleFixture.CONSENT);
        browser.accessible("consents");
        browser.click(By.linkText(PeopleFixture.CONSENT));
        assertThat(browser.text()).contains("生活保護の相談").contains("tsunagi-welfare").contains("PENDING");
        new Select(browser.find(By.id("recordedBy"))).selectByValue("tsunagi-hub");
        browser.driver().executeScript("document.getElementById('withdrawnAt').value = arguments[0]",
                PeoplePagesHttpTest.pastMinutes(30));
        new Select(browser.find(By.id("method"))).selectByValue("WRITTEN");
        new Select(browser.find(By.id("reason"))).selectByValue("in_person");
        browser.accessible("consent");
        browser.click(By.cssSelector("form[action='/admin/consents/withdraw'] button"));

        assertThat(browser.text()).contains("撤回を記録しました").contains("撤回により停止した配信（1件）");
        List<String> stopped = browser.cells("caption ~ tbody tr");
        assertThat(stopped).contains(PeopleFixture.REFERRAL, "tsunagi-welfare", "CANCELLED");
        browser.accessible("consent-withdrawn");

        // the same effects as the withdrawal message of ReferralLedgerEndToEndTest: the welfare office is told, the
        // referral is cancelled and its sender told why, and the referral itself never arrives
        f.g.recipients.answerWith("tsunagi-welfare", 200);
        Message notice = f.g.awaitCopy("tsunagi-welfare", m -> m.getConsentWithdrawal() != null);
        assertThat(notice.getConsentWithdrawal().getRecordedBy()).isEqualTo("tsunagi-hub");
        assertThat(notice.getProvenance().getOriginalSender()).isEqualTo("tsunagi-hub");
        Message cancelled = f.g.awaitCopy("tsunagi-hub", GatewayFixture.statusUpdate("gateway", "CANCELLED"));
        assertThat(cancelled.getReferralId()).isEqualTo(PeopleFixture.REFERRAL);
        assertThat(cancelled.getStatusUpdate().getReason().name()).isEqualTo("CONSENT_WITHDRAWN");
        assertThat(f.strings("SELECT status FROM referral_event WHERE referral_id = ? ORDER BY event_id", PeopleFixture.REFERRAL))
                .containsExactly("SENT", "CANCELLED");
        assertThat(f.strings("SELECT code FROM audit_entry WHERE action = 'FORWARD_SCHEDULED' AND referral_id = ?"
                + " AND code LIKE 'notice.%'", PeopleFixture.REFERRAL)).containsExactly("notice.cancelled");
        MessageReader reader = new MessageReader();
        assertThat(f.g.recipients.processedBy("tsunagi-welfare")).as("the referral itself never arrived")
                .allSatisfy(copy -> assertThat(reader.read(copy.body()).getConsentWithdrawal()).isNotNull());
        f.await("SELECT COUNT(*) FROM outbox WHERE message_id = '" + notice.getMessageId() + "' AND status = 'DELIVERED'",
                n -> n == 1);
        browser.driver().navigate().refresh();
        assertThat(browser.text()).contains("tsunagi-welfare (DELIVERED)");

        assertThat(f.actionsOf("administrator")).containsExactly("CONSOLE_LOGIN:ok", "CONSENT_READ:listed",
                "CONSENT_READ:viewed", "ACCEPTED:accepted", "CONSENT_WITHDRAWN:stopped.1", "CONSENT_READ:viewed",
                "CONSENT_READ:viewed");
        assertThat(f.strings("SELECT code FROM audit_entry WHERE action = 'CONSENT_WITHDRAWN' AND actor = 'administrator'"))
                .containsExactly("counter:in_person");
        assertThat(f.chainIntact()).as("audit verify after the browser session").isTrue();
    }
}
