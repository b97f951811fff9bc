package dev.troupe.server;

import dev.troupe.server.sfn.ArnScheme;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * How {@code troupe server} runs.
 *
 * @param bind the address to listen on (loopback unless access keys are configured)
 * @param port the port; 0 picks a free one
 * @param arns the account id and region of the ARNs
 * @param accessKeys secret access key by access key id; empty accepts unsigned requests
 * @param maxRequestBytes the largest request body read; larger ones are refused unread
 */
public record ServerConfig(
    String bind, int port, ArnScheme arns, Map<String, String> accessKeys, int maxRequestBytes) {
  public static final String LOOPBACK = "127.0.0.1";

  /** Room for a 1 MiB definition written as a JSON string (escapes) and the other members. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  public ServerConfig {
    accessKeys = Map.copyOf(accessKeys);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0 to 65535, got " + port);
    }
    if (accessKeys.isEmpty() && !isLoopback(bind)) {
      throw new IllegalArgumentException(
          "without access keys (--access-key ID:SECRET) the server accepts unsigned requests and"
              + " so binds to loopback only; '"
              + bind
              + "' is not a loopback address");
    }
  }

  /** Loopback on port {@code port}, account 123456789012 in us-east-1, no keys. */
  public static ServerConfig local(int port) {
    return new ServerConfig(
        LOOPBACK,
        port,
        new ArnScheme("us-east-1", "123456789012"),
        Map.of(),
        DEFAULT_MAX_REQUEST_BYTES);
  }

  public ServerConfig withAccessKeys(Map<String, String> keys) {
    return new ServerConfig(bind, port, arns, keys, maxRequestBytes);
  }

  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
