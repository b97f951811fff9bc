package dev.troupe.asl.teststate;

/** How much a TestState call reports besides the state's result. */
public enum InspectionLevel {
  /** The status, output, error, cause and next state only. */
  INFO,
  /** Also the data flow of the state, step by step ({@code inspectionData}). */
  DEBUG,
  /** As DEBUG; AWS adds the HTTP request and response of an HTTP Task, which Troupe has not. */
  TRACE
}
