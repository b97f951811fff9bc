/**
 * The event bus's pure core: event patterns matched by AWS's event-ruler ({@link
 * dev.troupe.bus.EventPatterns}, {@link dev.troupe.bus.RuleSet}), targets' input ({@link
 * dev.troupe.bus.InputTransform}), PutEvents validation and the event envelope ({@link
 * dev.troupe.bus.PutEventsValidation}) and schedule expressions ({@link dev.troupe.bus.Schedule}).
 * Pure: no IO, clock, randomness, threads or logging; time and ids are given.
 */
@NullMarked
package dev.troupe.bus;

import org.jspecify.annotations.NullMarked;
