/**
 * Component tests of the issue-7 features run the real renderer stores against the real app
 * service in-process, on virtual probes: start-up as the app does it, then connect.
 */
import { afterEach, beforeEach } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import type { Component } from 'vue';
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

/**
 * Mounts `component` over a fresh renderer and app service before each test (handed to `use`),
 * and unmounts it and stops the service after.
 */
export function mountEach(component: Component, use: (started: Started, wrapper: VueWrapper) => void): void {
  let started: Started;
  let wrapper: VueWrapper;
  beforeEach(async () => {
    started = await startRenderer();
    wrapper = mount(component, { global: { plugins: [started.pinia] }, attachTo: document.body });
    use(started, wrapper);
  });
  afterEach(async () => {
    wrapper.unmount();
    await started.service.dispose();
  });
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
