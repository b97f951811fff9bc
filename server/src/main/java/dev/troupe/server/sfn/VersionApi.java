package dev.troupe.server.sfn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.StateMachineAlias;
import dev.troupe.store.StateMachineVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The version and alias operations on the wire (PublishStateMachineVersion ..
 * ListStateMachineAliases): reads their members, calls {@link VersionService}, writes AWS's
 * response shapes.
 */
final class VersionApi {
  private final VersionService versions;

  VersionApi(VersionService versions) {
    this.versions = versions;
  }

  /** Adds the operations to an API's table. */
  void register(Map<String, Function<Fields, ObjectNode>> operations) {
    operations.put("PublishStateMachineVersion", this::publish);
    operations.put("ListStateMachineVersions", this::listVersions);
    operations.put("DeleteStateMachineVersion", this::deleteVersion);
    operations.put("CreateStateMachineAlias", this::createAlias);
    operations.put("DescribeStateMachineAlias", this::describeAlias);
    operations.put("UpdateStateMachineAlias", this::updateAlias);
    operations.put("DeleteStateMachineAlias", this::deleteAlias);
    operations.put("ListStateMachineAliases", this::listAliases);
  }

  private static ObjectNode object() {
    return Json.NODES.objectNode();
  }

  static String versionArn(StateMachineVersion v) {
    return v.machineArn() + ":" + v.number();
  }

  static String aliasArn(StateMachineAlias a) {
    return a.machineArn() + ":" + a.name();
  }

  private static int maxResults(Fields f) {
    Integer max = f.integer("maxResults");
    if (max == null) {
      return 0;
    }
    if (max < 0 || max > 1000) {
      throw ApiError.invalidField(
          "Value '"
              + max
              + "' at 'maxResults' failed to satisfy constraint: Member must have value "
              + (max < 0 ? "greater than or equal to 0" : "less than or equal to 1000"));
    }
    return max;
  }

  private static @Nullable List<VersionService.RouteIn> routing(Fields f) {
    List<Fields> given = f.objects("routingConfiguration");
    if (given == null) {
      return null;
    }
    List<VersionService.RouteIn> out = new ArrayList<>();
    for (Fields r : given) {
      Integer weight = r.integer("weight");
      if (weight == null) {
        throw Fields.missing("routingConfiguration.member.weight");
      }
      out.add(new VersionService.RouteIn(r.requiredString("stateMachineVersionArn"), weight));
    }
    return out;
  }

  private ObjectNode publish(Fields f) {
    StateMachineVersion v =
        versions.publish(
            f.requiredString("stateMachineArn"), f.string("revisionId"), f.string("description"));
    ObjectNode out = object();
    out.put("creationDate", AwsJson.timestamp(v.creationDate()));
    out.put("stateMachineVersionArn", versionArn(v));
    return out;
  }

  private ObjectNode listVersions(Fields f) {
    VersionService.Page<StateMachineVersion> page =
        versions.listVersions(
            f.requiredString("stateMachineArn"), maxResults(f), f.string("nextToken"));
    ObjectNode out = object();
    ArrayNode list = out.putArray("stateMachineVersions");
    for (StateMachineVersion v : page.items()) {
      list.addObject()
          .put("stateMachineVersionArn", versionArn(v))
          .put("creationDate", AwsJson.timestamp(v.creationDate()));
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode deleteVersion(Fields f) {
    versions.deleteVersion(f.requiredString("stateMachineVersionArn"));
    return object();
  }

  private ObjectNode createAlias(Fields f) {
    List<VersionService.RouteIn> routing = routing(f);
    if (routing == null) {
      throw Fields.missing("routingConfiguration");
    }
    StateMachineAlias a =
        versions.createAlias(f.requiredString("name"), f.string("description"), routing);
    ObjectNode out = object();
    out.put("stateMachineAliasArn", aliasArn(a));
    out.put("creationDate", AwsJson.timestamp(a.creationDate()));
    return out;
  }

  private ObjectNode describeAlias(Fields f) {
    StateMachineAlias a = versions.describeAlias(f.requiredString("stateMachineAliasArn"));
    ObjectNode out = object();
    out.put("stateMachineAliasArn", aliasArn(a));
    out.put("name", a.name());
    if (a.description() != null) {
      out.put("description", a.description());
    }
    ArrayNode routes = out.putArray("routingConfiguration");
    for (StateMachineAlias.Route r : a.routes()) {
      routes
          .addObject()
          .put("stateMachineVersionArn", a.machineArn() + ":" + r.version())
          .put("weight", r.weight());
    }
    out.put("creationDate", AwsJson.timestamp(a.creationDate()));
    out.put("updateDate", AwsJson.timestamp(a.updateDate()));
    return out;
  }

  private ObjectNode updateAlias(Fields f) {
    StateMachineAlias a =
        versions.updateAlias(
            f.requiredString("stateMachineAliasArn"), f.string("description"), routing(f));
    ObjectNode out = object();
    out.put("updateDate", AwsJson.timestamp(a.updateDate()));
    return out;
  }

  private ObjectNode deleteAlias(Fields f) {
    versions.deleteAlias(f.requiredString("stateMachineAliasArn"));
    return object();
  }

  private ObjectNode listAliases(Fields f) {
    VersionService.Page<StateMachineAlias> page =
        versions.listAliases(
            f.requiredString("stateMachineArn"), maxResults(f), f.string("nextToken"));
    ObjectNode out = object();
    ArrayNode list = out.putArray("stateMachineAliases");
    for (StateMachineAlias a : page.items()) {
      list.addObject()
          .put("stateMachineAliasArn", aliasArn(a))
          .put("creationDate", AwsJson.timestamp(a.creationDate()));
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }
}
