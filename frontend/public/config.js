// Where the API lives. Deployments overwrite this file (make run writes it); the build stays the same.
window.ROADMAP_CONFIG = { apiBase: "http://127.0.0.1:8000" };
