import type { Maintenance } from './types.ts';
import type { MaintenanceStatus } from './vocabulary.ts';

const order: Record<MaintenanceStatus, number> = { scheduled: 0, in_progress: 1, verifying: 2, completed: 3 };

/** What the clock alone says: scheduled before the window, in progress during it, completed after. */
export function clockMaintenanceStatus(m: Pick<Maintenance, 'scheduledStart' | 'scheduledEnd'>, now: number): MaintenanceStatus {
  if (now < m.scheduledStart) return 'scheduled';
  if (now < m.scheduledEnd) return 'in_progress';
  return 'completed';
}

/**
 * The maintenance's status: the further along of the clock's and the latest posted update's
 * (updates dated in the future do not count yet). A posted "completed" ends it early.
 */
export function maintenanceStatus(m: Pick<Maintenance, 'scheduledStart' | 'scheduledEnd' | 'updates'>, now: number): MaintenanceStatus {
  const clock = clockMaintenanceStatus(m, now);
  const posted = m.updates.find((u) => u.at <= now)?.status;
  if (!posted) return clock;
  return order[posted] > order[clock] ? posted : clock;
}

/** True while the work is under way (in progress or verifying). */
export function isMaintenanceActive(m: Pick<Maintenance, 'scheduledStart' | 'scheduledEnd' | 'updates'>, now: number): boolean {
  const s = maintenanceStatus(m, now);
  return s === 'in_progress' || s === 'verifying';
}

/** When the maintenance actually started and ended, for uptime exclusion: the window, cut short by a posted completion. */
export function maintenanceInterval(m: Maintenance): { start: number; end: number } {
  const completed = [...m.updates].reverse().find((u) => u.status === 'completed');
  const started = [...m.updates].reverse().find((u) => u.status === 'in_progress');
  const start = Math.min(started?.at ?? m.scheduledStart, m.scheduledStart);
  const end = completed ? Math.max(start, completed.at) : m.scheduledEnd;
  return { start, end };
}
