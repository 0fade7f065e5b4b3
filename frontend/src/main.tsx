import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import { applyTheme, storedTheme } from "./lib/theme";
import "./style.css";

// Apply the theme before the first paint (stored choice, else system preference).
applyTheme(storedTheme() ?? (window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light"));

const root = document.getElementById("root");
if (!root) {
  throw new Error("kanade console: #root element missing");
}

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
