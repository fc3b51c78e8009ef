/**
 * Hardening of every web contents the app creates: no navigation away from our page, no new
 * windows (https links open in the user's browser instead), no <webview>, no permission
 * grants (camera, USB, serial... the page never needs them: main owns USB), and the CSP as
 * a header for the development server (the built page carries it in a meta tag).
 */
import { session, shell } from 'electron';
import type { App, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../bridge/static-files';

export function hardenApp(app: App, isOurUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOurUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOurUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https:\/\//i.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
