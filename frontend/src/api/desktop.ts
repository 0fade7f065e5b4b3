// Desktop-only calls (not HTTP ops): the Settings page's bindings. They exist
// only inside the Wails window; in a browser `isDesktop()` is false and the
// page is not offered.
import { GetSettings, ApplySettings } from "../../wailsjs/go/app/App";
import type { app } from "../../wailsjs/go/models";
import { transport, wailsError } from "./client";

export type DesktopSettings = Omit<app.Settings, never>;
export type DesktopSettingsState = {
  saved: DesktopSettings;
  effective: DesktopSettings;
  pinned: Record<string, string>;
  file: string;
  core: Omit<app.CoreState, never>;
  version: string;
};

/** Inside the desktop window (Wails bindings present)? */
export function isDesktop(): boolean {
  return transport() === "wails";
}

export async function getDesktopSettings(): Promise<DesktopSettingsState> {
  try {
    return (await GetSettings({})) as DesktopSettingsState;
  } catch (e) {
    throw wailsError("GetSettings", e);
  }
}

/** Saves the settings and restarts the console core (not the app). */
export async function applyDesktopSettings(s: DesktopSettings): Promise<DesktopSettingsState> {
  try {
    return (await ApplySettings(s)) as DesktopSettingsState;
  } catch (e) {
    throw wailsError("ApplySettings", e);
  }
}
