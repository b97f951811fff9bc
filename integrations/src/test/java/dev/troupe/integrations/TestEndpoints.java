package dev.troupe.integrations;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port for the tests: function endpoints and APIs that answer
 * as told, recording every request they get.
 */
public final class TestEndpoints implements AutoCloseable {
  /** One request as received. */
  public record Seen(
      String method, String path, String query, Map<String, List<String>> headers, String body) {}

  interface Handler {
    void handle(HttpExchange ex, String body) throws IOException;
  }

  private final HttpServer server;
  public final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  public final AtomicInteger flakyCalls = new AtomicInteger();

  public TestEndpoints() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    // a function that answers its event back, inside an object
    on("/echo", (ex, b) -> answer(ex, 200, "{\"echo\":" + b + "}", "application/json"));
    // a function that returns a string
    on("/hello", (ex, b) -> answer(ex, 200, "\"HelloWorld!\"", "application/json"));
    // a function whose handler raised an error (Lambda's error object, status 200)
    on(
        "/raise",
        (ex, b) ->
            answer(
                ex,
                200,
                "{\"errorMessage\":\"Some exception was raised.\",\"errorType\":\"Exception\","
                    + "\"stackTrace\":[\"  File handler.py, line 2\"]}",
                "application/json"));
    // a function that fails its first two calls and then answers
    on(
        "/flaky",
        (ex, b) -> {
          int n = flakyCalls.incrementAndGet();
          if (n <= 2) {
            answer(
                ex,
                200,
                "{\"errorMessage\":\"try again\",\"errorType\":\"Transient\"}",
                "application/json");
          } else {
            answer(ex, 200, "{\"attempt\":" + n + "}", "application/json");
          }
        });
    // a function that flags its answer as an error with Lambda's header
    on(
        "/flagged",
        (ex, b) -> {
          ex.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
          answer(ex, 200, "{\"errorMessage\":\"flagged\"}", "application/json");
        });
    // an endpoint that crashes without an error object
    on("/crash", (ex, b) -> answer(ex, 500, "boom", "text/plain"));
    // an endpoint slower than any function timeout in the tests
    on(
        "/slow",
        (ex, b) -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(ex, 200, "{}", "application/json");
        });
    // an API that answers with the status its path names: /status/404
    on(
        "/status/",
        (ex, b) -> {
          int code = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
          answer(ex, code, "{\"error\":\"status " + code + "\"}", "application/json");
        });
    // an API that describes the request it got
    on(
        "/api",
        (ex, b) ->
            answer(
                ex,
                200,
                "{\"method\":\"" + ex.getRequestMethod() + "\",\"length\":" + b.length() + "}",
                "application/json"));
    on("/text", (ex, b) -> answer(ex, 200, "plain words", "text/plain"));
    server.start();
  }

  private void on(String path, Handler h) {
    server.createContext(
        path,
        ex -> {
          String b = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(
              new Seen(
                  ex.getRequestMethod(),
                  ex.getRequestURI().getPath(),
                  ex.getRequestURI().getRawQuery(),
                  Map.copyOf(ex.getRequestHeaders()),
                  b));
          h.handle(ex, b);
        });
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static void answer(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.getResponseHeaders().add("X-Test", "a");
    ex.getResponseHeaders().add("X-Test", "b");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (var os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
