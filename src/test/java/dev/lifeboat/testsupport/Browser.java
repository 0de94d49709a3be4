package dev.lifeboat.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through the Debian chromedriver. Both paths are given
 * explicitly, so Selenium Manager never tries to download a browser or driver. Screenshots go to
 * target/screenshots/, numbered in the order taken.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target/screenshots");
  private static final AtomicInteger SHOTS = new AtomicInteger();

  private final ChromeDriver driver;
  private final String baseUrl;
  private final Path downloads;

  private Browser(ChromeDriver driver, String baseUrl, Path downloads) {
    this.driver = driver;
    this.baseUrl = baseUrl;
    this.downloads = downloads;
  }

  public static Browser open(String baseUrl, Path downloads) {
    for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(binary + " is missing: install Debian packages chromium chromium-driver "
            + "(bash .ci/install-test-deps.sh does it as root)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000", "--lang=en-US", "--disable-search-engine-choice-screen");
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toAbsolutePath().toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    return new Browser(driver, baseUrl, downloads);
  }

  public WebDriver driver() {
    return driver;
  }

  public void go(String path) {
    driver.get(baseUrl + path);
  }

  public String path() {
    return driver.getCurrentUrl().substring(baseUrl.length());
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** The form field whose label has this text, found the way a screen reader finds it. */
  public WebElement field(String label) {
    WebElement labelElement = driver.findElement(By.xpath("//label[normalize-space(.)='" + label
        + "' or starts-with(normalize-space(.), '" + label + " (')]"));
    String id = labelElement.getAttribute("for");
    return id != null ? driver.findElement(By.id(id)) : labelElement.findElement(By.tagName("input"));
  }

  public void login(String user, String password) {
    go("/login");
    field("User name").sendKeys(user);
    field("Password").sendKeys(password);
    find("button[type=submit]").click();
    waitFor(Duration.ofSeconds(10), d -> !path().startsWith("/login"));
  }

  public void logout() {
    find("header form[action$='/logout'] button").click();
    waitFor(Duration.ofSeconds(10), d -> path().startsWith("/login"));
  }

  /** Clicks a link or submit button and waits until the next page has replaced this one. */
  public void follow(WebElement element) {
    WebElement page = driver.findElement(By.tagName("html"));
    element.click();
    waitFor(Duration.ofSeconds(30), d -> gone(page));
  }

  /**
   * Whether the page element left the document. While Chrome swaps documents it may answer
   * "Node with given id does not belong to the document" instead of a stale reference: that is gone too.
   */
  private static boolean gone(WebElement page) {
    try {
      page.isEnabled();
      return false;
    } catch (StaleElementReferenceException e) {
      return true;
    } catch (WebDriverException e) {
      if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
    // htmx replaces the live part of a page while a test reads it: an element gone stale is read again.
    return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /**
   * Waits for a downloaded file whose name ends so, complete: Chrome may create the final name
   * before it has moved the bytes in, so no .crdownload may be left and the file must not be empty.
   */
  public Path awaitDownload(String suffix, Duration timeout) {
    return waitFor(timeout, d -> {
      try (var files = Files.list(downloads)) {
        List<Path> all = files.toList();
        if (all.stream().anyMatch(f -> f.getFileName().toString().endsWith(".crdownload"))) {
          return null;
        }
        for (Path file : all) {
          if (file.getFileName().toString().endsWith(suffix) && Files.size(file) > 0) {
            return file;
          }
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** A screenshot of the whole page (the window grows to the page's height first). */
  public Path screenshot(String name) {
    Dimension original = driver.manage().window().getSize();
    Number height = (Number) script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
    driver.manage().window().setSize(new Dimension(original.getWidth(), Math.min(6000, Math.max(original.getHeight(), height.intValue() + 140))));
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Path target = SCREENSHOTS.resolve(String.format("%02d-%s.png", SHOTS.incrementAndGet(), name));
      Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(original);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
