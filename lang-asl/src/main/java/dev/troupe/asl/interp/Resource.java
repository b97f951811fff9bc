package dev.troupe.asl.interp;

/**
 * A Task's Resource ARN as history events describe it: {@code arn:aws:states:::lambda:invoke} has
 * resourceType {@code lambda} and resource {@code invoke}.
 */
record Resource(String resourceType, String resource, String region) {
  static final String DEFAULT_REGION = "us-east-1";

  static Resource of(String arn) {
    String[] parts = arn.split(":", -1);
    if (parts.length < 6 || !parts[0].equals("arn")) {
      return new Resource("unknown", arn, DEFAULT_REGION);
    }
    String service = parts[2];
    String region = parts[3].isEmpty() ? DEFAULT_REGION : parts[3];
    if (service.equals("states") && parts[4].isEmpty()) {
      // arn:aws:states:::SERVICE:ACTION or arn:aws:states:::aws-sdk:SERVICE:ACTION
      if (parts[5].equals("aws-sdk") && parts.length >= 8) {
        return new Resource("aws-sdk:" + parts[6], join(parts, 7), region);
      }
      return new Resource(parts[5], join(parts, 6), region);
    }
    if (service.equals("states") && parts.length > 5 && parts[5].equals("activity")) {
      return new Resource("activity", arn, region);
    }
    return new Resource(service, arn, region);
  }

  private static String join(String[] parts, int from) {
    return from >= parts.length
        ? ""
        : String.join(":", java.util.Arrays.copyOfRange(parts, from, parts.length));
  }
}
