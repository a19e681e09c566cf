package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless browser (Debian's chromium and chromedriver) against the service
 * in its own JVM, the real broker and registry, API keys on: the page loads without credentials, takes
 * the key (a wrong one: 401 shown), submits a prompt and follows it live to SUCCEEDED with its images shown (fetched with the
 * key, as blob URLs), shows a 400's field error, cancels a long request (CANCELLED), and uploads a PNG
 * on the tokenize page. Writes a screenshot to {@code target/console.png}. Skipped when chromium or
 * chromedriver is not installed ({@code apt-get install chromium chromium-driver}; {@code .ci/run} does).
 */
@WithRealStack
class ConsoleBrowserTest {
  private static final String API_KEY = "console-key";
  private static final String OTHER_KEY = "console-browser-other-key";
  /** Debian's paths; other hosts name theirs with -Daligntok.tests.chromium and -Daligntok.tests.chromedriver. */
  private static final Path CHROMIUM = Path.of(System.getProperty("aligntok.tests.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("aligntok.tests.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** What the tokenize page shows once the latent is produced. */
  private static final Pattern TIMINGS = Pattern.compile(
      "queue [0-9.]+ ms, decode [0-9.]+ ms, encode [0-9.]+ ms, batch of [0-9]+, produced [0-9]+ ms after upload");

  @TempDir Path tmp;

  @Test
  void submitFollowCancelAndTokenizeInTheBrowser(RealStack stack) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
            + " (apt-get install -y --no-install-recommends chromium chromium-driver)");
    BundleManifest bundle = BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest();
    String className = bundle.labels().vocabulary().names().get(0);
    try (FaultRun run = new FaultRun(stack, "console", tmp, Map.of(
             "aligntok.auth.enabled", "true", "aligntok.auth.api-keys", API_KEY + "," + OTHER_KEY,
             // A lone request waits 5 s for companions: long enough to be seen QUEUED and cancelled from the page.
             "aligntok.generate.max-wait", "5s"));
         ServiceProcess service = run.startService()) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
        wait.withMessage(() -> "the page shows: " + pageText(browser) + "; service log: " + service.logTail());
        browser.get(service.uri("/").toString());
        // A wrong key: the 401 is shown, and nothing is submitted.
        browser.findElement(By.id("key-input")).sendKeys("not-" + API_KEY);
        browser.findElement(By.id("key-save")).click();
        generate(browser, className, "2", "1");
        wait.until(b -> b.findElement(By.id("error")).isDisplayed());
        String refused = browser.findElement(By.id("error")).getText();
        assertTrue(refused.contains("HTTP 401") && refused.contains("refused"), refused);
        browser.findElement(By.id("key-input")).sendKeys(API_KEY);
        browser.findElement(By.id("key-save")).click();
        assertTrue(!browser.findElement(By.id("error")).isDisplayed(), "a new key clears the error");

        // A field error is shown as the service words it (the form lets 100000 steps through; the service does not).
        generate(browser, className, "100000", "1");
        wait.until(b -> b.findElement(By.id("error")).isDisplayed());
        String error = browser.findElement(By.id("error")).getText();
        assertTrue(error.contains("HTTP 400") && error.contains("steps"), error);

        // Submit and follow: the state changes live, the images appear as blob URLs.
        generate(browser, className, "12", "2");
        List<String> states = new ArrayList<>();
        wait.until(b -> {
          String state = b.findElement(By.id("cur-state")).getText();
          if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
            states.add(state);
          }
          return state.equals("SUCCEEDED") || state.equals("FAILED");
        });
        assertEquals("SUCCEEDED", states.get(states.size() - 1), "states seen: " + states);
        assertTrue(states.contains("QUEUED") || states.contains("RUNNING"), "a state before the end was shown: " + states);
        wait.until(b -> shownImages(b) == 2);
        assertEquals(List.of("0", "1"), browser.findElements(By.cssSelector("#cur-images img")).stream()
            .map(img -> img.getAttribute("data-index")).toList(), "the images in index order");
        assertEquals("2 / 2 images", browser.findElement(By.id("cur-count")).getText());
        assertEquals("1", browser.findElement(By.id("cur-progress")).getAttribute("value"));
        String requestId = browser.findElement(By.id("cur-id")).getText();
        assertTrue(rowFor(browser, requestId).getText().contains("SUCCEEDED"), "the recent list has it");

        // A long request is cancelled from the page.
        generate(browser, className, Integer.toString(250), "1");
        wait.until(b -> !b.findElement(By.id("cur-id")).getText().equals(requestId)
            && List.of("QUEUED", "RUNNING").contains(b.findElement(By.id("cur-state")).getText()));
        String longId = browser.findElement(By.id("cur-id")).getText();
        browser.findElement(By.id("cur-cancel")).click();
        wait.until(b -> b.findElement(By.id("cur-state")).getText().equals("CANCELLED"));
        assertTrue(rowFor(browser, longId).getText().contains("CANCELLED"), "the recent list has it");

        // The first request again, from the recent list: its images come back; this is the screenshot.
        rowFor(browser, requestId).findElement(By.tagName("button")).click();
        wait.until(b -> shownImages(b) == 2 && b.findElement(By.id("cur-state")).getText().equals("SUCCEEDED"));
        Path screenshot = Path.of("target", "console.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
            StandardCopyOption.REPLACE_EXISTING);
        System.out.println("console screenshot: " + screenshot);

        // Another caller's key in the same browser: its own (empty) list; back to the first key, its list again.
        browser.findElement(By.id("key-input")).sendKeys(OTHER_KEY);
        browser.findElement(By.id("key-save")).click();
        wait.until(b -> b.findElements(By.cssSelector("#recent-rows tr")).isEmpty());
        browser.findElement(By.id("key-input")).sendKeys(API_KEY);
        browser.findElement(By.id("key-save")).click();
        wait.until(b -> b.findElements(By.cssSelector("#recent-rows tr")).size() == 2);

        // Tokenize: upload a PNG, see its id and the latent's shape.
        browser.findElement(By.id("tab-tokenize")).click();
        Path png = Files.write(tmp.resolve("upload.png"), InputEvents.noisePng(48, 40, new SplittableRandom(3)));
        browser.findElement(By.id("tok-file")).sendKeys(png.toString());
        browser.findElement(By.id("tok-submit")).click();
        wait.until(b -> !b.findElement(By.id("tok-id")).getText().isEmpty());
        var latent = bundle.latent();
        assertEquals(latent.channels() + " × " + latent.height() + " × " + latent.width(),
            browser.findElement(By.id("tok-shape")).getText());
        assertTrue(browser.findElement(By.id("tok-image")).getText().startsWith("48 × 40 px"),
            browser.findElement(By.id("tok-image")).getText());
        assertTrue(browser.findElement(By.id("tok-accepted")).getText().endsWith("(upload until 202)"));
        // Then the latent as produced (GET /v1/tokenize/{id}, with the key): the pipeline's timings.
        wait.until(b -> {
          String shown = b.findElement(By.id("tok-timings")).getText();
          return !shown.isEmpty() && !shown.startsWith("waiting");
        });
        String timings = browser.findElement(By.id("tok-timings")).getText();
        assertTrue(TIMINGS.matcher(timings).matches(), timings);
        assertEquals(latent.channels() + " × " + latent.height() + " × " + latent.width(),
            browser.findElement(By.id("tok-shape")).getText(), "the produced latent's shape");
        Path tokenized = Path.of("target", "console-tokenize.png").toAbsolutePath();
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), tokenized,
            StandardCopyOption.REPLACE_EXISTING);
        System.out.println("console tokenize screenshot: " + tokenized);
        assertTrue(!browser.findElement(By.id("error")).isDisplayed(), browser.findElement(By.id("error")).getText());
      } finally {
        browser.quit();
      }
    }
  }

  private static String pageText(WebDriver browser) {
    try {
      String text = browser.findElement(By.tagName("body")).getText();
      return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    } catch (RuntimeException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Root in a container: no sandbox; a small /dev/shm: no shared memory.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1100,900");
    ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(driver, options);
  }

  private static void generate(WebDriver browser, String prompt, String steps, String count) {
    set(browser, "gen-prompt", prompt);
    set(browser, "gen-seed", "7");
    set(browser, "gen-steps", steps);
    set(browser, "gen-count", count);
    browser.findElement(By.id("gen-submit")).click();
  }

  private static void set(WebDriver browser, String id, String value) {
    WebElement input = browser.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  /** Images shown for the current request: blob URLs the browser decoded. */
  private static long shownImages(WebDriver browser) {
    Object count = ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
        + "'#cur-images img.generated')).filter(i => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0).length");
    return ((Number) count).longValue();
  }

  private static WebElement rowFor(WebDriver browser, String requestId) {
    return browser.findElements(By.cssSelector("#recent-rows tr")).stream()
        .filter(row -> row.findElement(By.tagName("code")).getText().equals(requestId)).findFirst()
        .orElseThrow(() -> new AssertionError("request " + requestId + " is not in the recent list"));
  }
}
