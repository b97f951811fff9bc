package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * SQS's query protocol, as clients older than its JSON protocol send it (Debian's awscli 2.9, whose
 * botocore model for SQS is the query one): forms with flattened lists and maps ({@code
 * Attribute.1.Name}, {@code MessageAttribute.1.Value.StringValue}, {@code
 * SendMessageBatchRequestEntry.1.Id}, ...) posted to the endpoint, answered in the query protocol's
 * XML, errors as {@code <ErrorResponse>} with the query codes. Unsigned (a loopback server without
 * keys); the CLI test signs.
 */
class QueuesQueryProtocolTest {
  @TempDir Path temp;
  JdbcStore store;
  TroupeServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = SqliteStore.open(temp.resolve("data"));
    server = TroupeServer.start(ServerConfig.local(0), store);
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
    store.close();
  }

  record Answer(int status, String contentType, Document xml) {
    String text(String tag) {
      NodeList n = xml.getElementsByTagName(tag);
      // "" when absent, so that an expectation of a value fails on it
      return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }

    List<String> texts(String tag) {
      List<String> out = new ArrayList<>();
      NodeList n = xml.getElementsByTagName(tag);
      for (int i = 0; i < n.getLength(); i++) {
        out.add(n.item(i).getTextContent());
      }
      return out;
    }

    Map<String, String> pairs(String element, String key, String value) {
      Map<String, String> out = new LinkedHashMap<>();
      NodeList n = xml.getElementsByTagName(element);
      for (int i = 0; i < n.getLength(); i++) {
        Element e = (Element) n.item(i);
        out.put(
            e.getElementsByTagName(key).item(0).getTextContent(),
            e.getElementsByTagName(value).item(0).getTextContent());
      }
      return out;
    }
  }

  Answer post(String path, String... keysAndValues) throws Exception {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!form.isEmpty()) {
        form.append('&');
      }
      form.append(URLEncoder.encode(keysAndValues[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(keysAndValues[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(r.body()));
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), doc);
  }

  Answer action(String... keysAndValues) throws Exception {
    String[] all = new String[keysAndValues.length + 2];
    all[0] = "Version";
    all[1] = "2012-11-05";
    System.arraycopy(keysAndValues, 0, all, 2, keysAndValues.length);
    return post("/", all);
  }

  @Test
  void formsAreAnsweredInTheQueryProtocolsXml() throws Exception {
    Answer created =
        action(
            "Action", "CreateQueue",
            "QueueName", "legacy",
            "Attribute.1.Name", "VisibilityTimeout",
            "Attribute.1.Value", "0",
            "Tag.1.Key", "team",
            "Tag.1.Value", "ops");
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.contentType()).startsWith("text/xml");
    assertThat(created.xml().getDocumentElement().getTagName()).isEqualTo("CreateQueueResponse");
    String url = created.text("QueueUrl");
    assertThat(url).isEqualTo(server.endpoint() + "/123456789012/legacy");
    assertThat(created.text("RequestId")).isNotBlank();

    Answer attributes =
        action(
            "Action", "GetQueueAttributes",
            "QueueUrl", url,
            "AttributeName.1", "VisibilityTimeout",
            "AttributeName.2", "QueueArn");
    assertThat(attributes.pairs("Attribute", "Name", "Value"))
        .isEqualTo(
            Map.of(
                "VisibilityTimeout", "0", "QueueArn", "arn:aws:sqs:us-east-1:123456789012:legacy"));
    assertThat(action("Action", "ListQueueTags", "QueueUrl", url).pairs("Tag", "Key", "Value"))
        .isEqualTo(Map.of("team", "ops"));

    Answer sent =
        action(
            "Action", "SendMessage",
            "QueueUrl", url,
            "MessageBody", "<hello & goodbye>",
            "DelaySeconds", "0",
            "MessageAttribute.1.Name", "color",
            "MessageAttribute.1.Value.DataType", "String",
            "MessageAttribute.1.Value.StringValue", "blue");
    assertThat(sent.text("MD5OfMessageBody"))
        .isEqualTo(dev.troupe.server.sqs.SqsTestDigests.md5("<hello & goodbye>"));
    assertThat(sent.text("MD5OfMessageAttributes")).matches("[0-9a-f]{32}");
    Answer batch =
        action(
            "Action", "SendMessageBatch",
            "QueueUrl", url,
            "SendMessageBatchRequestEntry.1.Id", "one",
            "SendMessageBatchRequestEntry.1.MessageBody", "second",
            "SendMessageBatchRequestEntry.2.Id", "two",
            "SendMessageBatchRequestEntry.2.MessageBody", "bad",
            "SendMessageBatchRequestEntry.2.DelaySeconds", "901");
    assertThat(batch.texts("Id")).containsExactly("one", "two");
    assertThat(batch.xml().getElementsByTagName("SendMessageBatchResultEntry").getLength())
        .isEqualTo(1);
    assertThat(batch.text("Code")).isEqualTo("InvalidParameterValue");
    assertThat(batch.text("SenderFault")).isEqualTo("true");

    Answer received =
        action(
            "Action", "ReceiveMessage",
            "QueueUrl", url,
            "MaxNumberOfMessages", "10",
            "AttributeName.1", "All",
            "MessageAttributeName.1", "All");
    assertThat(received.texts("Body")).containsExactlyInAnyOrder("<hello & goodbye>", "second");
    assertThat(received.pairs("Attribute", "Name", "Value"))
        .containsEntry("ApproximateReceiveCount", "1")
        .containsEntry("SenderId", "123456789012");
    assertThat(received.text("StringValue")).isEqualTo("blue");
    List<String> handles = received.texts("ReceiptHandle");

    // older clients post to the queue URL itself
    Answer deleted =
        post(
            "/123456789012/legacy",
            "Action",
            "DeleteMessageBatch",
            "DeleteMessageBatchRequestEntry.1.Id",
            "a",
            "DeleteMessageBatchRequestEntry.1.ReceiptHandle",
            handles.get(0),
            "DeleteMessageBatchRequestEntry.2.Id",
            "b",
            "DeleteMessageBatchRequestEntry.2.ReceiptHandle",
            handles.get(1));
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.xml().getElementsByTagName("DeleteMessageBatchResultEntry").getLength())
        .isEqualTo(2);
    Answer empty = action("Action", "ReceiveMessage", "QueueUrl", url);
    assertThat(empty.xml().getElementsByTagName("Message").getLength()).isZero();
    assertThat(action("Action", "ListQueues", "QueueNamePrefix", "leg").texts("QueueUrl"))
        .containsExactly(url);

    Answer purged = action("Action", "PurgeQueue", "QueueUrl", url);
    assertThat(purged.xml().getDocumentElement().getTagName()).isEqualTo("PurgeQueueResponse");
    Answer again = action("Action", "PurgeQueue", "QueueUrl", url);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.xml().getDocumentElement().getTagName()).isEqualTo("ErrorResponse");
    assertThat(again.text("Code")).isEqualTo("AWS.SimpleQueueService.PurgeQueueInProgress");
    assertThat(again.text("Type")).isEqualTo("Sender");

    Answer missing = action("Action", "GetQueueUrl", "QueueName", "nope");
    assertThat(missing.text("Code")).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    assertThat(missing.text("Message")).isEqualTo("The specified queue does not exist.");
    Answer unknown = action("Action", "Frobnicate");
    assertThat(unknown.text("Code")).isEqualTo("InvalidAction");
  }
}
