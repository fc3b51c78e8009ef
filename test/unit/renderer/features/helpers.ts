/**
 * Component tests of the issue-7 features run the real renderer stores against the real app
 * service in-process, on virtual probes: start-up as the app does it, then connect.
 */
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { bootstrap } from '../../../../src/renderer/src/app/bootstrap';
import { connect, selectPart } from '../../../../src/renderer/src/app/commands';
import { useConnectionStore } from '../../../../src/renderer/src/stores/connection';
import type { AppService } from '../../../../src/main/service/app-service';
import { inProcessApi, newService } from '../in-process-api';

export interface Started {
  pinia: Pinia;
  service: AppService;
}

export async function startRenderer(): Promise<Started> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const service = newService();
  await bootstrap(inProcessApi(service));
  return { pinia, service };
}

/** Picks a virtual ST-LINK/V3 with the given part and faults, and connects (or tries to). */
export async function connectVirtual(part: string, faults: string[] = []): Promise<void> {
  const conn = useConnectionStore();
  await selectPart(part);
  conn.selectedId = 'virtual:stlinkv3';
  conn.activeFaults = faults;
  await connect();
}

/** Lets queued events and promise chains settle. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
