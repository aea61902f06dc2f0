import type { Io } from '../io';
import { provenanceDashboard } from '../provisioning/dashboard';

/** `provenance dashboard`: the provisioned dashboard's JSON, on stdout. */
export function dashboardCommand(io: Io): number {
  io.out(`${JSON.stringify(provenanceDashboard(), null, 2)}\n`);
  return 0;
}
