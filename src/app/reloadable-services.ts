// Services that can be swapped for freshly built ones (knowledge reloaded without a restart): every operation
// delegates to the current set, so what holds the object (the dialog, the HTTP API, the reminders) sees the new one.
import type { Services } from "./services.ts";

export interface ReloadableServices {
  services: Services;
  /**
   * Builds a new set and checks it by building everything (a broken knowledge folder throws, and the current set
   * stays); then swaps it in. Resolves with the number of deadlines now held.
   */
  reload(): Promise<{ deadlines: number }>;
}

/** Wraps `initial`; `rebuild` makes a new set from the same configuration (createServices). */
export function reloadableServices(initial: Services, rebuild: () => Promise<Services>): ReloadableServices {
  let current = initial;
  let running: Promise<{ deadlines: number }> | undefined;
  const services: Services = {
    config: initial.config,
    clock: initial.clock,
    knowledge: () => current.knowledge(),
    prepare: () => current.prepare(),
    checkQuestion: (raw) => current.checkQuestion(raw),
    ask: (question, asOf) => current.ask(question, asOf),
    clauses: (query, limit) => current.clauses(query, limit),
    check: (profile) => current.check(profile),
    assess: (profile, asOf) => current.assess(profile, asOf),
    deadlines: (filter) => current.deadlines(filter),
    ics: (deadlines) => current.ics(deadlines),
  };
  const reload = async () => {
    const next = await rebuild();
    next.prepare();
    const count = next.deadlines({}).length;
    current = next;
    return { deadlines: count };
  };
  return {
    services,
    // One reload at a time: a second call while one runs gets the same result.
    reload: () => (running ??= reload().finally(() => (running = undefined))),
  };
}
