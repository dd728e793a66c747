import type { InboundQueueStats } from '../../../protocol/campaign-stats';

/** One inbound caller as the queue figures need them: when they entered the queue, and how it ended (if it has). */
export type QueuedCaller = {
  enteredAt: number;
  /** when an agent took the call */
  answeredAt: number | null;
  /** when the caller hung up before any agent took the call */
  abandonedAt: number | null;
};

/** The industry's usual service-level threshold: answered within 20 s. */
export const SERVICE_LEVEL_SEC = 20;

/**
 * A queue's figures from its callers, as a wallboard shows them. Service level is answered
 * within the threshold over every caller whose wait is decided (answered, or gave up); a caller
 * who gave up before the threshold counts against it too (the stricter of the common
 * definitions: nobody who hangs up waiting is "served"). ASA over answered calls only. Pure;
 * `simSpeed` turns real milliseconds into simulated seconds (1 against a real PBX).
 */
export function queueStats(callers: QueuedCaller[], now: number, thresholdSec = SERVICE_LEVEL_SEC, simSpeed = 1): InboundQueueStats {
  const sec = (ms: number) => (ms / 1000) * simSpeed;
  let waiting = 0;
  let longestWaitSec = 0;
  let answered = 0;
  let withinThreshold = 0;
  let abandoned = 0;
  let answerWaitSec = 0;
  for (const c of callers) {
    if (c.answeredAt !== null) {
      const wait = sec(Math.max(0, c.answeredAt - c.enteredAt));
      answered++;
      answerWaitSec += wait;
      if (wait <= thresholdSec) withinThreshold++;
    } else if (c.abandonedAt !== null) {
      abandoned++;
    } else {
      waiting++;
      longestWaitSec = Math.max(longestWaitSec, sec(Math.max(0, now - c.enteredAt)));
    }
  }
  const decided = answered + abandoned;
  return {
    waiting,
    longestWaitSec: Math.round(longestWaitSec * 10) / 10,
    offered: callers.length,
    answered,
    abandoned,
    serviceLevel: decided === 0 ? null : withinThreshold / decided,
    serviceLevelThresholdSec: thresholdSec,
    asaSec: answered === 0 ? null : Math.round((answerWaitSec / answered) * 10) / 10,
  };
}

/** A queue's decided callers as counted through the day (in Redis: inbound-queue-book.ts). */
export type QueueDayCounts = {
  offered: number;
  answered: number;
  abandoned: number;
  /** answered within the service-level threshold */
  answeredWithin: number;
  /** the answered callers' waits added up, simulated seconds */
  answerWaitSec: number;
};

/**
 * The same figures as queueStats from the day's counts and the callers waiting now (when each
 * entered the queue): what a worker can keep in Redis, so the figures outlive it. Pure.
 */
export function queueFigures(day: QueueDayCounts, waitingSince: number[], now: number, thresholdSec = SERVICE_LEVEL_SEC, simSpeed = 1): InboundQueueStats {
  const longest = waitingSince.reduce((m, at) => Math.max(m, ((now - at) / 1000) * simSpeed), 0);
  const decided = day.answered + day.abandoned;
  return {
    waiting: waitingSince.length,
    longestWaitSec: Math.round(Math.max(0, longest) * 10) / 10,
    // A caller still waiting from before a restart of the counts (yesterday's, say) is offered too.
    offered: Math.max(day.offered, day.answered + day.abandoned + waitingSince.length),
    answered: day.answered,
    abandoned: day.abandoned,
    serviceLevel: decided === 0 ? null : day.answeredWithin / decided,
    serviceLevelThresholdSec: thresholdSec,
    asaSec: day.answered === 0 ? null : Math.round((day.answerWaitSec / day.answered) * 10) / 10,
  };
}
