/**
 * Preload (sandboxed, context-isolated): exposes the typed contract as window.swimStudio
 * through contextBridge, and nothing more. Built as CommonJS (electron.vite.config.ts)
 * because a sandboxed preload cannot be an ES module.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '#shared/ipc';
import { createPreloadApi } from './api';

contextBridge.exposeInMainWorld(API_GLOBAL, createPreloadApi(ipcRenderer));
