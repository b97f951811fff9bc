package dev.troupe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.bus.PutEventsValidation.Entry;
import dev.troupe.bus.PutEventsValidation.Result;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PutEventsValidationTest {
  static final String DETAIL = "{\"a\": 1}";

  @Test
  void sizeIsCountedAsEventBridgeCountsIt() {
    Entry e =
        new Entry(
            "src", "type", "{\"é\":1}", List.of("arn:1", "arn:22"), Instant.EPOCH, null, null);
    // 14 for Time, 3 + 4, 8 bytes of detail (é is two), 5 + 6 of resources
    assertThat(PutEventsValidation.entrySize(e)).isEqualTo(14 + 3 + 4 + 8 + 5 + 6);
    assertThat(PutEventsValidation.entrySize(Entry.of("s", "t", "{}"))).isEqualTo(4);
  }

  @Test
  void aRequestOfExactlyOneMebibyteIsAcceptedAndOneByteMoreIsNot() {
    String prefix = "{\"p\": \"";
    String suffix = "\"}";
    int fill = (int) PutEventsValidation.MAX_REQUEST_BYTES - 2 - prefix.length() - suffix.length();
    Entry exact = Entry.of("s", "t", prefix + "x".repeat(fill) + suffix);
    assertThat(PutEventsValidation.entrySize(exact)).isEqualTo(1_048_576);
    assertThat(PutEventsValidation.validate(List.of(exact)))
        .singleElement()
        .isInstanceOf(Result.Accepted.class);
    Entry over = Entry.of("s", "t", prefix + "x".repeat(fill + 1) + suffix);
    assertThatThrownBy(() -> PutEventsValidation.validate(List.of(over)))
        .isInstanceOfSatisfying(
            BusException.class,
            ex -> {
              assertThat(ex.code()).isEqualTo("ValidationException");
              assertThat(ex.getMessage())
                  .isEqualTo("Total size of the entries in the request is over the limit.");
            });
  }

  @Test
  void theSizeLimitIsOnTheWholeRequest() {
    Random random = new Random(7L);
    for (int round = 0; round < 50; round++) {
      int n = 1 + random.nextInt(10);
      List<Entry> entries = new java.util.ArrayList<>();
      long total = 0;
      for (int i = 0; i < n; i++) {
        Entry e = Entry.of("s", "t", "{\"p\": \"" + "y".repeat(random.nextInt(250_000)) + "\"}");
        total += PutEventsValidation.entrySize(e);
        entries.add(e);
      }
      if (total > PutEventsValidation.MAX_REQUEST_BYTES) {
        assertThatThrownBy(() -> PutEventsValidation.validate(entries))
            .isInstanceOf(BusException.class);
      } else {
        assertThat(PutEventsValidation.validate(entries)).hasSize(n);
      }
    }
  }

  @Test
  void atMostTenEntriesAndAtLeastOne() {
    List<Entry> eleven = Collections.nCopies(11, Entry.of("s", "t", DETAIL));
    assertThatThrownBy(() -> PutEventsValidation.validate(eleven))
        .isInstanceOf(BusException.class)
        .hasMessageStartingWith(
            "1 validation error detected: Value '[PutEventsRequestEntry(time=null, source=s,"
                + " resources=null, detailType=t, detail={\"a\": 1}, eventBusName=null,"
                + " traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null),")
        .hasMessageEndingWith(
            ")]' at 'entries' failed to satisfy constraint: Member must have length less than or"
                + " equal to 10");
    assertThat(PutEventsValidation.validate(Collections.nCopies(10, Entry.of("s", "t", DETAIL))))
        .hasSize(10);
    assertThatThrownBy(() -> PutEventsValidation.validate(List.of()))
        .hasMessageEndingWith("Member must have length greater than or equal to 1");
  }

  @Test
  void eachEntryIsCheckedOnItsOwn() {
    List<Result> results =
        PutEventsValidation.validate(
            List.of(
                Entry.of("s", "t", DETAIL),
                new Entry("s", "t", null, null, null, null, null),
                new Entry(null, "t", DETAIL, null, null, null, null),
                new Entry("s", null, DETAIL, null, null, null, null),
                Entry.of("s", "t", "NotJSON"),
                Entry.of("s", "t", "[]"),
                Entry.of("s", "t", "\"NotJSON\""),
                Entry.of("aws.ec2", "t", DETAIL)));
    assertThat(results.get(0)).isInstanceOf(Result.Accepted.class);
    assertThat(results.subList(1, results.size()))
        .containsExactly(
            failed(
                "InvalidArgument",
                "Parameter Detail is not valid. Reason: Detail is a required argument."),
            failed(
                "InvalidArgument",
                "Parameter Source is not valid. Reason: Source is a required argument."),
            failed(
                "InvalidArgument",
                "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
            failed("MalformedDetail", "Detail is malformed."),
            failed("MalformedDetail", "Detail is malformed."),
            failed("MalformedDetail", "Detail is malformed."),
            failed("NotAuthorizedForSourceException", "Not authorized for the source."));
    assertThat(PutEventsValidation.failedEntryCount(results)).isEqualTo(7);
  }

  private static Result failed(String code, String message) {
    return new Result.Failed(code, message);
  }

  @Test
  void theEnvelopeCarriesWhatTheCallerGives() {
    Result.Accepted a =
        (Result.Accepted)
            PutEventsValidation.validate(
                    List.of(new Entry("s", "t", DETAIL, List.of("arn:x"), null, null, null)))
                .get(0);
    ObjectNode e =
        PutEventsValidation.envelope(
            a, "id-1", Instant.parse("2024-05-06T07:08:09.123Z"), "123456789012", "eu-west-1");
    assertThat(BusJson.write(e))
        .isEqualTo(
            "{\"version\":\"0\",\"id\":\"id-1\",\"detail-type\":\"t\",\"source\":\"s\","
                + "\"account\":\"123456789012\",\"time\":\"2024-05-06T07:08:09Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[\"arn:x\"],\"detail\":{\"a\":1}}");
    Result.Accepted timed =
        (Result.Accepted)
            PutEventsValidation.validate(
                    List.of(
                        new Entry(
                            "s",
                            "t",
                            DETAIL,
                            null,
                            Instant.parse("2022-01-01T00:00:00Z"),
                            null,
                            null)))
                .get(0);
    assertThat(
            PutEventsValidation.envelope(timed, "i", Instant.EPOCH, "1", "r").path("time").asText())
        .isEqualTo("2022-01-01T00:00:00Z");
  }
}
