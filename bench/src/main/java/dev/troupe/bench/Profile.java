package dev.troupe.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording: where the samples'
 * top frames are (self time), and under which Troupe method each sample was taken (the first {@code
 * dev.troupe} frame from the top, so that library time is charged to the Troupe code that called
 * the library).
 */
final class Profile {
  private Profile() {}

  record Entry(String method, long samples, double percent) {}

  record Summary(long samples, List<Entry> self, List<Entry> troupeCaller) {}

  static Summary summarize(Path recording, int top) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> caller = new HashMap<>();
    long samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1L, Long::sum);
      String troupe = "(no Troupe frame)";
      for (RecordedFrame f : frames) {
        if (f.getMethod().getType().getName().startsWith("dev.troupe.")) {
          troupe = name(f);
          break;
        }
      }
      caller.merge(troupe, 1L, Long::sum);
    }
    return new Summary(samples, top(self, samples, top), top(caller, samples, top));
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static List<Entry> top(Map<String, Long> counts, long total, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(n)
        .map(e -> new Entry(e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(total, 1)))
        .toList();
  }
}
