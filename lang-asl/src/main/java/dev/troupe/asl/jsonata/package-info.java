/**
 * JSONata expressions in ASL: {@code {% %}} templates, $states, variables, AWS's functions. Pure.
 */
@NullMarked
package dev.troupe.asl.jsonata;

import org.jspecify.annotations.NullMarked;
