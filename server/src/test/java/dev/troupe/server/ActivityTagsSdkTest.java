package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.sfn.ArnScheme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.TooManyTagsException;

/**
 * Activity tags through the real AWS SDK for Java v2 against a real server over a real SQLite file:
 * CreateActivity's tags, TagResource, UntagResource and ListTagsForResource on an activity ARN,
 * kept across a restart of the server on the same data directory.
 */
class ActivityTagsSdkTest {
  static final ArnScheme ARNS = new ArnScheme("eu-west-3", "210987654321");

  @TempDir Path temp;
  TestServer troupe;
  SfnClient sfn;

  @BeforeEach
  void start() {
    troupe = TestServer.start(temp);
    sfn = troupe.sfn();
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  List<Tag> tagsOf(String arn) {
    return sfn.listTagsForResource(b -> b.resourceArn(arn)).tags();
  }

  @Test
  void anActivitysTagsAreCreatedChangedAndKeptAcrossARestart() {
    String arn =
        sfn.createActivity(b -> b.name("resize").tags(tag("team", "media"), tag("tier", "1")))
            .activityArn();
    assertThat(tagsOf(arn)).containsExactly(tag("team", "media"), tag("tier", "1"));
    // CreateActivity again: the same activity, its tags not updated (AWS documents so)
    assertThat(sfn.createActivity(b -> b.name("resize").tags(tag("team", "other"))).activityArn())
        .isEqualTo(arn);
    assertThat(tagsOf(arn)).containsExactly(tag("team", "media"), tag("tier", "1"));

    sfn.tagResource(b -> b.resourceArn(arn).tags(tag("tier", "2"), tag("cost", "42")));
    assertThat(tagsOf(arn))
        .containsExactly(tag("team", "media"), tag("tier", "2"), tag("cost", "42"));
    sfn.untagResource(b -> b.resourceArn(arn).tagKeys("team", "absent"));
    assertThat(tagsOf(arn)).containsExactly(tag("tier", "2"), tag("cost", "42"));

    // the tags are in the database: a new server on the same data directory reads them
    troupe.close();
    start();
    assertThat(tagsOf(arn)).containsExactly(tag("tier", "2"), tag("cost", "42"));

    // a state machine's tags are its own
    String machine =
        sfn.createStateMachine(
                b ->
                    b.name("tagged")
                        .definition(
                            "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}")
                        .roleArn("arn:aws:iam::210987654321:role/test")
                        .tags(tag("team", "machines")))
            .stateMachineArn();
    assertThat(tagsOf(machine)).containsExactly(tag("team", "machines"));
    assertThat(tagsOf(arn)).containsExactly(tag("tier", "2"), tag("cost", "42"));
  }

  @Test
  void theTagOperationsRefuseWhatAwsRefusesOnActivities() {
    String arn = sfn.createActivity(b -> b.name("plain")).activityArn();
    assertThat(tagsOf(arn)).isEmpty();
    List<Tag> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(tag("k" + i, "v"));
    }
    sfn.tagResource(b -> b.resourceArn(arn).tags(fifty));
    assertThatThrownBy(() -> sfn.tagResource(b -> b.resourceArn(arn).tags(tag("one", "more"))))
        .isInstanceOf(TooManyTagsException.class);
    assertThat(tagsOf(arn)).hasSize(50);

    String unknown = ARNS.activity("nobody");
    assertThatThrownBy(() -> tagsOf(unknown)).isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> sfn.tagResource(b -> b.resourceArn(unknown).tags(tag("a", "b"))))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> sfn.untagResource(b -> b.resourceArn(unknown).tagKeys("a")))
        .isInstanceOf(ResourceNotFoundException.class);

    sfn.deleteActivity(b -> b.activityArn(arn));
    assertThatThrownBy(() -> tagsOf(arn)).isInstanceOf(ResourceNotFoundException.class);
    // created again, it starts without the old tags
    sfn.createActivity(b -> b.name("plain"));
    assertThat(tagsOf(arn)).isEmpty();
  }
}
