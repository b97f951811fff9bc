/**
 * Activities (CreateActivity and its kin) and the tasks scheduled on them, which workers take with
 * GetActivityTask and answer with SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat.
 */
@NullMarked
package dev.troupe.store.activity;

import org.jspecify.annotations.NullMarked;
