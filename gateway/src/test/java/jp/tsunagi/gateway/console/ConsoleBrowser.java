package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's browser tests' one headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs),
 * with its own profile and download folder: what a user does on a page (open, log in, click, read), an accessibility
 * check (axe-core) and the screenshots in target/console-screenshots/ (docs/images/ holds copies for the
 * administrator guide). A test class registers it ({@code @RegisterExtension static final ConsoleBrowser browser});
 * it starts before the class's tests and quits after them, and without Chromium the class is skipped.
 */
final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path home;
    private ChromeDriver driver;
    private String base;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (/usr/bin/chromium, /usr/bin/chromedriver): the browser tests of the console "
                        + "are skipped; install them with 'apt-get install -y chromium chromium-driver' (.ci/run does)");
        home = Files.createTempDirectory("tsunagi-browser-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(home.resolve("profile")), "--window-size=1280,1000",
                "--lang=ja");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", Files.createDirectories(downloads()).toString(),
                "download.prompt_for_download", false));
        driver = new ChromeDriver(
                new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    /** Quits Chromium and removes its profile and downloads. */
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private Path downloads() {
        return home.resolve("downloads");
    }

    /** A new visitor of the gateway at base: no cookies from an earlier test. */
    void visit(String base) {
        this.base = base;
        driver.manage().deleteAllCookies();
    }

    /** For what a user does not do through the page: scripts, print media, cookies. */
    ChromeDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
    }

    void logIn(String name) {
        open("/admin/login");
        find(By.id("name")).sendKeys(name);
        find(By.id("password")).sendKeys(ConsoleFixture.PASSWORD);
        click(By.cssSelector("form[action='/admin/login'] button"));
        assertThat(url()).as(text()).endsWith("/admin/");
    }

    /** Clicks and waits until the next page has replaced this one. */
    void click(By element) {
        WebElement page = find(By.tagName("html"));
        find(element).click();
        new WebDriverWait(driver, WAIT).until(d -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) { // stale, or Chromium already dropped the node
                return true;
            }
        });
    }

    WebElement find(By element) {
        return driver.findElement(element);
    }

    List<WebElement> findAll(By elements) {
        return driver.findElements(elements);
    }

    String url() {
        return driver.getCurrentUrl();
    }

    String heading() {
        return find(By.tagName("h1")).getText();
    }

    String text() {
        return find(By.tagName("body")).getText();
    }

    /** The texts of the cells of the rows (a CSS selector), in order. */
    List<String> cells(String rows) {
        return findAll(By.cssSelector(rows + " td")).stream().map(WebElement::getText).toList();
    }

    /** The console's session cookie, or null. */
    String sessionId() {
        Cookie cookie = driver.manage().getCookieNamed("tsunagi_console");
        return cookie == null ? null : cookie.getValue();
    }

    /** axe-core on the page: no serious or critical violation; a screenshot for the guide. */
    void accessible(String page) throws IOException {
        screenshot(page);
        List<String> bad = new ArrayList<>();
        for (Rule rule : new AxeBuilder().analyze(driver).getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                bad.add(rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " " + rule.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget())).toList());
            }
        }
        assertThat(bad).as("axe-core on " + page).isEmpty();
    }

    /** target/console-screenshots/console-NAME.png. */
    void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The downloaded file named prefix...suffix, once the browser has finished writing it. */
    Path downloaded(String prefix, String suffix) {
        return new WebDriverWait(driver, WAIT).until(d -> {
            try (Stream<Path> files = Files.list(downloads())) {
                return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                        && f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }
}
