// The single door to the kanade console backend. UI code imports from here only.
export * from "./types";
export { ops, opNames, pathParams, type OpName, type OpReq, type OpRes, type OpSpec, type OpTypes } from "./ops";
export {
  ApiError,
  TOKEN_KEY,
  buildUrl,
  call,
  clearToken,
  getToken,
  isNotFound,
  jsonBody,
  setToken,
  setTokenPrompt,
  subscribeBackendEvents,
  transport,
  wailsError,
  type BackendTopic,
  type CallOptions,
  type TokenPrompt,
  type Transport,
} from "./client";
export {
  applyDesktopSettings,
  getDesktopSettings,
  isDesktop,
  type DesktopSettings,
  type DesktopSettingsState,
} from "./desktop";
