package dev.aligntok.stream.service.console;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the web console: {@code GET /} is its page, {@code GET /console/<file>} its script and style
 * sheet, from {@code console/} on the classpath. Only the files named here are served (no path from
 * the request reaches the class loader). Outside {@code /v1/**}, so no credentials are asked: the files
 * hold no data, and the page sends the key its user types with each API call, as any client does.
 * Every answer carries a Content-Security-Policy that allows only this origin's scripts and styles (no
 * inline script), images from here and from blob URLs, and API calls to this origin.
 * Present unless {@code aligntok.console.enabled=false}.
 */
@Controller
@Requires(property = "aligntok.console.enabled", notEquals = "false")
public class ConsoleController {
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' blob:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

  private record File(byte[] bytes, String contentType) {}

  private final File page;
  private final Map<String, File> assets;

  public ConsoleController() {
    this.page = load("index.html", "text/html; charset=utf-8");
    this.assets = Map.of(
        "console.js", load("console.js", "text/javascript; charset=utf-8"),
        "sse.js", load("sse.js", "text/javascript; charset=utf-8"),
        "console.css", load("console.css", "text/css; charset=utf-8"));
  }

  @Get("/")
  public MutableHttpResponse<byte[]> page() {
    return serve(page);
  }

  @Get("/console/{name}")
  public MutableHttpResponse<?> asset(String name) {
    File file = assets.get(name);
    return file == null ? HttpResponse.notFound() : serve(file);
  }

  private static MutableHttpResponse<byte[]> serve(File file) {
    return HttpResponse.ok(file.bytes())
        .header("Content-Type", file.contentType())
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-cache");
  }

  private static File load(String name, String contentType) {
    String resource = "console/" + name;
    try (InputStream in = ConsoleController.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath (the web console's files)");
      }
      return new File(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
