/** The API's base URL: configuration (public/config.js, or VITE_API_BASE at build time), never a constant. */
declare global {
  interface Window {
    ROADMAP_CONFIG?: { apiBase?: string };
  }
}

export function apiBase(): string {
  const configured = typeof window !== "undefined" ? window.ROADMAP_CONFIG?.apiBase : undefined;
  return (configured ?? import.meta.env.VITE_API_BASE ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
}
