package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

/**
 * The console in a real browser: Debian's headless chromium through chromedriver (ops/ci/install-browser.sh), one
 * browser for the class. Without the browser the class fails under CI=true and is skipped, with a message, elsewhere.
 */
@GatewayTest
@Import(MutableClock.Config.class)
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path ARTEFACTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    static WebDriver browser;

    @LocalServerPort
    int port;
    @Autowired
    CaseService cases;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;
    @Autowired
    PersonalData personalData;

    @BeforeAll
    static void startBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String message = "console browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + ": run ops/ci/install-browser.sh";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // A phone-sized window: officers are often in the field.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=412,915", "--lang=vi", "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // A page that never finishes loading fails the test in seconds instead of hanging the build for Selenium's
        // default five minutes.
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        browser.get(url("/console/login"));
        browser.manage().deleteAllCookies();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    private void logIn(String username) {
        browser.get(url("/console/login"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("test-password");
        browser.findElement(By.id("login-submit")).click();
        waiting().until(ExpectedConditions.urlToBe(url("/console")));
    }

    private String openBullyingCaseInTuyPhuoc() {
        return cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference();
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(ARTEFACTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), ARTEFACTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anOfficerSeesANewCaseAppearWithoutReloadingAcknowledgesItAndItsDeadlineDisappears() {
        logIn("officer.550");
        waiting().until(ExpectedConditions.attributeToBe(By.id("queue"), "data-live", "open"));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");

        String reference = openBullyingCaseInTuyPhuoc();

        By row = By.cssSelector("tr[data-reference='" + reference + "']");
        waiting().until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .as("the row arrived without a reload").isEqualTo(true);
        assertThat(browser.findElement(row).findElements(By.cssSelector(".ack-countdown"))).hasSize(1);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-status"), reference));
        assertThat(browser.findElement(By.id("live-status")).getText()).isEqualTo("Có hồ sơ mới: " + reference);
        // Counted by the page's script in words (the page's clock is the browser's, not the test's fixed one), never as
        // a clock-like 0:29:15.
        assertThat(browser.findElement(row).findElement(By.cssSelector(".ack-countdown")).getText())
                .matches("(còn|quá hạn) [0-9]+ (phút|giờ|ngày).*").doesNotContainPattern("[0-9]:[0-9]{2}:[0-9]{2}");

        browser.findElement(row).findElement(By.cssSelector("a.case-link")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("ack-deadline")));
        // A note typed, then the page left (as a session that expired sends the officer to log in): coming back to
        // the case brings the text back; once the note is accepted it is gone.
        String casePage = browser.getCurrentUrl();
        browser.findElement(By.id("note-text")).sendKeys("Đã gọi lại cho mẹ em");
        browser.get(url("/console"));
        browser.get(casePage);
        assertThat(browser.findElement(By.id("note-text")).getAttribute("value")).isEqualTo("Đã gọi lại cho mẹ em");
        browser.findElement(By.id("note-text")).submit();
        waiting().until(ExpectedConditions.urlContains("done="));
        browser.get(casePage);
        assertThat(browser.findElement(By.id("note-text")).getAttribute("value")).isEmpty();
        browser.findElement(By.id("acknowledge")).click();

        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        assertThat(browser.findElements(By.id("ack-deadline"))).isEmpty();
        assertThat(browser.findElement(By.id("case-status")).getText()).isEqualTo("Đã tiếp nhận");
        browser.get(url("/console"));
        assertThat(browser.findElement(row).findElements(By.cssSelector(".ack-countdown"))).isEmpty();
    }

    @Test
    void aSupervisorSearchesTheCallLogAndOpensACall() throws Exception {
        UUID callId = UUID.randomUUID();
        ProtectedNumber caller = personalData.protect((CallerId.Number) personalData.identify("+84 977 123 456"), DataField.CALLER_NUMBER);
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id,
                                           caller_masked, started_at, answered_at, ivr_path, outcome)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'NUMBER', :hash, :cipher, :keyId, :masked, :at, :at,
                                '{greeting,who,district}', 'REFERENCE_GIVEN')""")
                .bind("id", callId).bind("key", "pbx/" + callId).bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext())
                .bind("keyId", caller.keyId()).bind("masked", caller.masked()).bind("at", clock.instant().atOffset(ZoneOffset.UTC))
                .then().block();
        String reference = cases.open(new CaseIntake(CaseFixtures.triage(Urgency.NORMAL, Category.CYBERBULLYING,
                new LocationHint.FormerDistrict("550")), clock.instant(), Optional.of(callId))).block().reference();
        logIn("supervisor");

        browser.get(url("/console/calls"));
        browser.findElement(By.id("area")).sendKeys("550");
        WebElement search = browser.findElement(By.id("search-submit"));
        search.click();
        // The unfiltered page already lists the call: wait for the search's own page, or the link found goes stale.
        waiting().until(ExpectedConditions.stalenessOf(search));
        waiting().until(ExpectedConditions.urlContains("area=550"));
        By call = By.cssSelector("tr[data-call='" + callId + "'] a.call-link");
        waiting().until(ExpectedConditions.presenceOfElementLocated(call)).click();

        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("call-heading")));
        assertThat(browser.findElement(By.id("caller-masked")).getText()).isEqualTo("09x xxx x456");
        assertThat(browser.findElement(By.id("call-case")).getText()).isEqualTo(reference);
        assertThat(browser.findElement(By.id("audit-trail")).getText()).contains("CASE_OPENED");
        screenshot("call-vi.png");
        browser.get(url("/console/reports?from=2026-02"));
        assertThat(browser.findElement(By.id("category-chart")).isDisplayed()).isTrue();
        screenshot("reports-vi.png");
    }

    @Test
    void anOfficerOfAnotherAreaCannotOpenTheCase() {
        String reference = openBullyingCaseInTuyPhuoc();
        logIn("officer.540");

        browser.get(url("/console/cases/" + reference));

        assertThat(browser.findElement(By.id("problem")).getAttribute("data-status")).isEqualTo("403");
        assertThat(browser.findElement(By.id("problem")).getText()).contains("không thuộc địa bàn của bạn");
        assertThat(browser.getPageSource()).doesNotContain("Bắt nạt trên mạng");
    }

    @Test
    void theVietnamesePageRendersItsDiacritics() throws Exception {
        String reference = openBullyingCaseInTuyPhuoc();
        logIn("officer.550");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-reference='" + reference + "']")));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Hồ sơ đang mở");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
        screenshot("queue-vi.png");
        browser.get(url("/console/cases/" + reference));
        assertThat(browser.findElement(By.id("case-heading")).getText()).isEqualTo("Hồ sơ " + reference);
        screenshot("case-vi.png");
        browser.get(url("/console/cases/" + reference + "?lang=en"));
        assertThat(browser.findElement(By.id("case-heading")).getText()).isEqualTo("Case " + reference);
        screenshot("case-en.png");
    }
}
