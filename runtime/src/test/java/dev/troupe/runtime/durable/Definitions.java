package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The definitions every store runs through the durable driver and the in-memory runner. */
final class Definitions {
  private Definitions() {}

  record Case(String name, String definition, String input) {}

  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static JsonNode parse(String singleQuoted) {
    try {
      return Json.parse(json(singleQuoted));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case(
              "passChoiceLoop",
              "{'StartAt':'Init','States':{"
                  + "'Init':{'Type':'Pass','Parameters':{'n':0},'Next':'Inc'},"
                  + "'Inc':{'Type':'Pass','Parameters':{'n.$':'States.MathAdd($.n, 1)'},'Next':'Loop'},"
                  + "'Loop':{'Type':'Choice','Choices':[{'Variable':'$.n','NumericLessThan':5,'Next':'Inc'}],"
                  + "'Default':'Done'},"
                  + "'Done':{'Type':'Succeed'}}}",
              "{}"),
          new Case(
              "wait",
              "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':30,'Next':'T'},"
                  + "'T':{'Type':'Wait','TimestampPath':'$.until','Next':'P'},"
                  + "'P':{'Type':'Pass','Result':'after','ResultPath':'$.r','End':true}}}",
              "{'until':'2030-01-01T01:00:00Z'}"),
          new Case(
              "parallel",
              "{'StartAt':'Par','States':{'Par':{'Type':'Parallel','End':true,'Branches':["
                  + "{'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':5,'Next':'A2'},"
                  + "'A2':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','End':true}}},"
                  + "{'StartAt':'B','States':{'B':{'Type':'Pass','Result':{'b':2},'Next':'B2'},"
                  + "'B2':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','End':true}}},"
                  + "{'StartAt':'C','States':{'C':{'Type':'Wait','Seconds':1,'End':true}}}]}}}",
              "{'x':1}"),
          new Case(
              "inlineMap",
              "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.items','MaxConcurrency':2,"
                  + "'ItemSelector':{'v.$':'$$.Map.Item.Value','i.$':'$$.Map.Item.Index'},"
                  + "'ItemProcessor':{'StartAt':'T','States':{"
                  + "'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','Next':'W'},"
                  + "'W':{'Type':'Wait','Seconds':2,'End':true}}},'End':true}}}",
              "{'items':['a','b','c','d']}"),
          new Case(
              "retry",
              "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:flaky','End':true,"
                  + "'Retry':[{'ErrorEquals':['Flaky'],'IntervalSeconds':2,'BackoffRate':2,"
                  + "'MaxAttempts':3}]}}}",
              "{'k':'v'}"),
          new Case(
              "catch",
              "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:broken','Next':'Never',"
                  + "'Retry':[{'ErrorEquals':['Other'],'MaxAttempts':2}],"
                  + "'Catch':[{'ErrorEquals':['Broken'],'ResultPath':'$.err','Next':'Handled'}]},"
                  + "'Never':{'Type':'Fail','Error':'Unreachable'},"
                  + "'Handled':{'Type':'Pass','End':true}}}",
              "{'k':'v'}"),
          new Case(
              "jsonataVariables",
              "{'QueryLanguage':'JSONata','StartAt':'A','States':{"
                  + "'A':{'Type':'Pass','Assign':{'total':'{% $sum($states.input.xs) %}'},'Next':'W'},"
                  + "'W':{'Type':'Wait','Seconds':3,'Next':'B'},"
                  + "'B':{'Type':'Pass','Output':{'total':'{% $total %}','n':'{% $count($states.input.xs) %}'},"
                  + "'End':true}}}",
              "{'xs':[1,2,3.5]}"),
          new Case(
              "executionTimeout",
              "{'TimeoutSeconds':5,'StartAt':'W','States':{"
                  + "'W':{'Type':'Wait','Seconds':10,'Next':'P'},"
                  + "'P':{'Type':'Pass','End':true}}}",
              "{}"),
          new Case(
              "failure",
              "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:broken','End':true}}}",
              "{}"));

  /**
   * A fresh task handler: {@code echo} returns its input with a mark, {@code flaky} fails twice
   * with {@code Flaky} and then succeeds, {@code broken} always fails with {@code Broken}.
   */
  static TaskHandler tasks() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    return (resource, parameters) -> {
      int n =
          calls
              .computeIfAbsent(
                  resource.substring(resource.lastIndexOf(':') + 1), r -> new AtomicInteger())
              .incrementAndGet();
      String function = resource.substring(resource.lastIndexOf(':') + 1);
      return switch (function) {
        case "echo" -> {
          ObjectNode o = Json.NODES.objectNode();
          o.set("echo", parameters);
          yield new TaskHandler.TaskOutcome.Succeeded(o);
        }
        case "flaky" ->
            n <= 2
                ? new TaskHandler.TaskOutcome.Failed("Flaky", "attempt " + n)
                : new TaskHandler.TaskOutcome.Succeeded(parse("{'attempt':" + n + "}"));
        default -> new TaskHandler.TaskOutcome.Failed("Broken", "it is broken");
      };
    };
  }
}
